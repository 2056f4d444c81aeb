package dev.interlock.ingest.targets;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.interlock.ingest.source.Source;

/**
 * Keeps this instance's runners in step with table {@code targets}: every {@code interlock.ingest.targets.refresh}
 * it reads the highest revision and, when it moved, starts a runner for each active target without one, stops the
 * runners of paused and removed targets, and restarts those whose row changed. A runner started again resumes from
 * its source's committed cursor. Changes made through the API on this instance are applied at once.
 */
@Singleton
public class TargetSupervisor {
    private static final Logger LOG = Logger.getLogger(TargetSupervisor.class);

    /** Starts sources on their own threads (the ingest role). */
    public interface Runners {
        Handle launch(Source source);
    }

    /** A started source. */
    public interface Handle {
        Map<String, Object> status();

        void requestStop();

        /** Waits for the runner to end; a batch in flight commits first. */
        void awaitStop();
    }

    private record Run(long revision, Handle handle) {
    }

    /** A row this instance could not build a source from, at that revision: tried again when the row changes. */
    private record Failure(long revision, String problem) {
    }

    private final TargetStore store;
    private final TargetTypes types;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private ScheduledExecutorService loop;
    private Runners runners;
    private final Object checking = new Object();
    private long seen = -1;
    private boolean readFailed;

    @Inject
    public TargetSupervisor(TargetStore store, TargetTypes types) {
        this.store = store;
        this.types = types;
    }

    /** Starts the targets' runners now, then watches the table. */
    public synchronized void start(Runners runners, Duration refresh) {
        this.runners = runners;
        seen = -1;
        check();
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-targets");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::check, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops watching and stops every target's runner (in parallel, each committing its batch in flight). */
    public void stop() {
        ScheduledExecutorService l;
        synchronized (this) {
            l = loop;
            loop = null;
        }
        if (l != null) {
            l.shutdown();
            try {
                l.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.values().forEach(r -> r.handle().requestStop());
        running.values().forEach(r -> r.handle().awaitStop());
        running.clear();
        failures.clear();
    }

    /** True while the ingest role watches the table on this instance. */
    public synchronized boolean active() {
        return loop != null;
    }

    /** Looks at the table now rather than at the next refresh (after a change made on this instance). */
    public synchronized void nudge() {
        if (loop != null) {
            loop.execute(this::check);
        }
    }

    /** The runner's status of target {@code name} when it runs on this instance, or why it could not start. */
    public Optional<Map<String, Object>> status(String name) {
        Run r = running.get(name);
        if (r != null) {
            return Optional.of(r.handle().status());
        }
        Failure f = failures.get(name);
        if (f != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", "failed");
            m.put("problem", f.problem());
            return Optional.of(m);
        }
        return Optional.empty();
    }

    /** Reads the revision and, when it moved, brings the runners in step. Runs on one thread at a time. */
    void check() {
        synchronized (checking) {
            checkNow();
        }
    }

    private void checkNow() {
        List<Target> rows;
        try {
            long revision = store.revision();
            if (revision == seen) {
                return;
            }
            rows = store.list(true);
            seen = revision;
            if (readFailed) {
                LOG.info("Table targets is readable again");
                readFailed = false;
            }
        } catch (RuntimeException e) {
            if (!readFailed) {
                LOG.warnf("Cannot read table targets, the running targets go on as they are: %s", e.getMessage());
                readFailed = true;
            }
            return;
        }
        reconcile(rows);
    }

    private void reconcile(List<Target> rows) {
        Map<String, Target> byName = new HashMap<>();
        rows.forEach(t -> byName.put(t.name(), t));
        for (String name : List.copyOf(running.keySet())) {
            Target t = byName.get(name);
            if (t == null || t.revision() != running.get(name).revision()) {
                Run r = running.remove(name);
                r.handle().requestStop();
                r.handle().awaitStop();
                LOG.infof("Target %s: runner stopped (%s)", name, t == null ? "row gone" : "now " + t.state().label()
                        + ", revision " + t.revision());
            }
        }
        failures.keySet().removeIf(name -> !byName.containsKey(name) || byName.get(name).revision() != failures.get(name).revision());
        for (Target t : rows) {
            if (t.state() != Target.State.ACTIVE || running.containsKey(t.name()) || failures.containsKey(t.name())) {
                continue;
            }
            try {
                Source source = types.get(t.spec().type(), "type").source(t.spec(), http);
                running.put(t.name(), new Run(t.revision(), runners.launch(source)));
                LOG.infof("Target %s (%s %s): runner started as source %s", t.name(), t.spec().type(), t.spec().canister(), source.id());
            } catch (RuntimeException e) {
                failures.put(t.name(), new Failure(t.revision(), e.getMessage()));
                LOG.errorf("Target %s cannot run on this instance: %s", t.name(), e.getMessage());
            }
        }
    }
}
