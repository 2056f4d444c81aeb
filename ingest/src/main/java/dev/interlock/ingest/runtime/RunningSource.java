package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.Map;

import dev.interlock.ingest.source.Source;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** A source's runner on its own thread, and how to stop it so that a batch in flight still commits. */
public final class RunningSource {
    private final SourceRunner runner;
    private final Thread thread;
    private final MeterRegistry registry;

    private RunningSource(SourceRunner runner, Thread thread, MeterRegistry registry) {
        this.runner = runner;
        this.thread = thread;
        this.registry = registry;
    }

    static RunningSource start(Source source, Map<String, Object> kafka, IngestConfig.Retry retry, MeterRegistry registry) {
        SourceRunner runner = new SourceRunner(source, kafka, () -> new Backoff(retry.initial(), retry.max()), registry);
        Thread t = new Thread(runner, "ingest-" + source.id());
        t.setDaemon(true);
        t.start();
        return new RunningSource(runner, t, registry);
    }

    public String sourceId() {
        return runner.sourceId();
    }

    /** What {@code GET /api/ingest/status} shows for the source. */
    public Map<String, Object> status() {
        return runner.status();
    }

    String problem() {
        return runner.problem();
    }

    /** Asks the runner to stop after the batch in hand; {@link #awaitStop} waits for it. */
    void requestStop() {
        runner.stop();
    }

    /**
     * Waits up to {@code grace} for the runner to end (a batch in flight commits), then interrupts it (its open
     * transaction is aborted: the cursor stays where the last commit left it). Drops the source's lag gauge, which
     * holds the source, so that a runner started again for the same id registers its own.
     */
    void awaitStop(Duration grace) {
        try {
            thread.join(grace.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Meter m : registry.find("interlock.ingest.lag").tag("source", runner.sourceId()).meters()) {
            registry.remove(m);
        }
    }

    /** Stops the runner and waits for it (see {@link #awaitStop}). */
    public void stop(Duration grace) {
        requestStop();
        awaitStop(grace);
    }
}
