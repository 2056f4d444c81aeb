package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.interlock.ingest.publish.CursorStore;
import dev.interlock.ingest.publish.TransactionalPublisher;
import dev.interlock.ingest.publish.TransactionalPublisher.PublishException;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Drives one source: resume from its committed cursor, poll, publish transactionally, wait,
 * repeat. Retryable failures back off; a non-retryable one stops this source (and is
 * reported by health) without touching the other sources.
 */
public final class SourceRunner implements Runnable {
    private static final Logger LOG = Logger.getLogger(SourceRunner.class);

    private final Source source;
    private final Map<String, Object> kafka;
    private final Supplier<Backoff> backoffs;
    private final MeterRegistry registry;
    private volatile boolean running = true;
    private volatile String problem;
    private volatile String cursor;
    private final Throughput throughput = new Throughput(java.time.Clock.systemUTC(), Duration.ofSeconds(10));
    private volatile long published;
    private volatile java.time.Instant lastPoll;

    public SourceRunner(Source source, Map<String, Object> kafka, Supplier<Backoff> backoffs, MeterRegistry registry) {
        this.source = source;
        this.kafka = kafka;
        this.backoffs = backoffs;
        this.registry = registry;
    }

    @Override
    public void run() {
        Backoff backoff = backoffs.get();
        Counter records = Counter.builder("interlock.ingest.records").tag("source", source.id())
                .description("Records published by a source").register(registry);
        Counter rejected = Counter.builder("interlock.ingest.rejected").tag("source", source.id())
                .description("Input a source rejected and quarantined").register(registry);
        Counter alerts = Counter.builder("interlock.ingest.alerts").tag("source", source.id())
                .description("Alerts a source raised itself (LEDGER_INTEGRITY)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("interlock.ingest.lag", source, Source::lag).tag("source", source.id())
                .description("Items behind the source's tip after the last poll (-1: unknown)").register(registry);
        TransactionalPublisher publisher = null;
        while (running) {
            try {
                if (publisher == null) {
                    publisher = new TransactionalPublisher(kafka, source.id());
                    cursor = CursorStore.lastCursor(kafka, source.id(), Duration.ofSeconds(30)).orElse(null);
                    LOG.infof("Source %s resumes from cursor %s", source.id(), cursor == null ? "(start)" : cursor);
                }
                if (source.exhausted(cursor)) {
                    LOG.infof("Source %s has nothing more to read", source.id());
                    break;
                }
                SourceBatch batch = next(cursor);
                lastPoll = java.time.Instant.now();
                if (!batch.isEmpty() || !Objects.equals(batch.cursor(), cursor)) {
                    readAhead(batch);
                    publisher.publish(batch);
                    long raised = batch.records().stream().filter(dev.interlock.model.Alert.class::isInstance).count();
                    records.increment(batch.records().size() - raised);
                    published += batch.records().size() - raised;
                    throughput.add(batch.records().size() - raised);
                    progress(batch);
                    alerts.increment(raised);
                    rejected.increment(batch.rejected().size());
                    cursor = batch.cursor();
                }
                backoff.reset();
                problem = null;
                Duration pause = source.pauseAfter(batch);
                if (!pause.isZero()) {
                    sleep(pause);
                }
            } catch (SourceException e) {
                failure(e.reason().name(), e.retryable(), e.getMessage(), backoff, e);
            } catch (PublishException e) {
                dropReadAhead();
                failure("PUBLISH", e.retryable(), e.getMessage(), backoff, e);
                if (publisher != null) {
                    publisher.close();
                    publisher = null;
                }
            } catch (RuntimeException e) {
                dropReadAhead();
                failure("INTERNAL", true, e.toString(), backoff, e);
                if (publisher != null) {
                    publisher.close();
                    publisher = null;
                }
            }
        }
        if (publisher != null) {
            publisher.close();
        }
        dropReadAhead();
        readAhead.shutdownNow();
        source.close();
    }

    /**
     * While a source is catching up, its next poll (from the cursor of the batch being published) runs
     * during the publish. It is used only if that publish commits; otherwise it is dropped and the source
     * rewound, so the next poll starts again from the committed cursor.
     */
    private final java.util.concurrent.ExecutorService readAhead = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, Thread.currentThread().getName() + "-read-ahead");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.Future<SourceBatch> ahead;
    private String aheadFrom;

    private void readAhead(SourceBatch batch) {
        if (source.pauseAfter(batch).isZero() && batch.cursor() != null && !source.exhausted(batch.cursor())) {
            String from = batch.cursor();
            aheadFrom = from;
            ahead = readAhead.submit(() -> source.poll(from));
        }
    }

    private SourceBatch next(String from) throws SourceException {
        java.util.concurrent.Future<SourceBatch> f = ahead;
        ahead = null;
        if (f == null || !Objects.equals(aheadFrom, from)) {
            if (f != null) {
                await(f);
                source.rewind();
            }
            return source.poll(from);
        }
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SourceException se) {
                throw se;
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ahead", e);
        }
    }

    private void dropReadAhead() {
        java.util.concurrent.Future<SourceBatch> f = ahead;
        ahead = null;
        if (f != null) {
            await(f);
            source.rewind();
        }
    }

    private static void await(java.util.concurrent.Future<SourceBatch> f) {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // the poll's outcome is dropped with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long lastProgressLog;

    /** Logs progress (records/s, lag) at most every 10 s while a source is busy. */
    private void progress(SourceBatch batch) {
        long now = System.nanoTime();
        if (batch.records().isEmpty() || now - lastProgressLog < 10_000_000_000L) {
            return;
        }
        lastProgressLog = now;
        LOG.infof("Source %s: %d records published, %.0f records/s, %s behind", source.id(), published, throughput.perSecond(),
                source.lag() < 0 ? "unknown" : source.lag() + " items");
    }

    /** What {@code GET /api/ingest/status} shows for this source. */
    public java.util.Map<String, Object> status() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("source", source.id());
        m.put("state", problem == null ? (running ? "running" : "stopped") : (running ? "retrying" : "failed"));
        m.put("problem", problem);
        m.put("published", published);
        m.put("perSecond", Math.round(throughput.perSecond() * 10) / 10.0);
        m.put("lag", source.lag());
        m.put("lastPoll", lastPoll == null ? null : lastPoll.toString());
        m.put("cursor", cursor);
        m.putAll(source.status());
        return m;
    }

    private void failure(String reason, boolean retryable, String message, Backoff backoff, Exception e) {
        Counter.builder("interlock.ingest.failures").tag("source", source.id()).tag("reason", reason)
                .description("Failed polls or publishes").register(registry).increment();
        problem = "source " + source.id() + ": " + message;
        if (!retryable) {
            LOG.errorf(e, "Source %s stopped: %s", source.id(), message);
            running = false;
            return;
        }
        Duration wait = backoff.next();
        LOG.warnf("Source %s failed (attempt %d, retrying in %d ms): %s", source.id(), backoff.attempts(),
                wait.toMillis(), message);
        sleep(wait);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public void stop() {
        running = false;
    }

    String problem() {
        return problem;
    }

    String sourceId() {
        return source.id();
    }

    String cursor() {
        return cursor;
    }
}
