package dev.interlock.ingest.source.push;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.interlock.ingest.calls.CallLogLine;
import dev.interlock.ingest.calls.CallLogProcessor;
import dev.interlock.ingest.calls.CallLogSink;
import dev.interlock.ingest.calls.CallLogStats;
import dev.interlock.ingest.calls.LineReader;
import dev.interlock.ingest.calls.RejectReason;
import dev.interlock.ingest.calls.Rejection;
import dev.interlock.ingest.publish.TransactionalPublisher.PublishException;

/**
 * {@code POST /api/ingest/calls} without the HTTP framework: authenticate the ingest token, rate-limit per
 * token, read the NDJSON body within the size and line limits, process the batch with the shared
 * {@link CallLogProcessor} rules and publish it in one transaction with the per-canister cursors; answer how
 * many lines were accepted and, for each rejected line, its number and reason. One bad line never rejects
 * the good ones. Batches are processed one at a time (they share the cursors), each as one unit: a message
 * open at the end of a batch ends there.
 */
public final class CallPushHandler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallPushHandler.class);
    /** Rejected lines listed in one reply at most; {@code rejectedCount} has them all. */
    public static final int MAX_LISTED = 1000;

    /**
     * @param tokens          accepted ingest tokens; none: the endpoint is disabled
     * @param maxRequestBytes largest request body
     * @param maxLineBytes    longest line; a longer one is rejected on its own
     * @param ratePerSecond   requests per second per token
     * @param burst           requests a token may send at once
     * @param maxClockSkew    timestamp tolerance of {@link CallLogProcessor}
     */
    public record Settings(List<String> tokens, long maxRequestBytes, int maxLineBytes, double ratePerSecond, int burst,
            Duration maxClockSkew) {
    }

    /** An HTTP answer: status, headers and a JSON body (maps, lists, numbers, strings). */
    public record Response(int status, Map<String, String> headers, Map<String, Object> body) {
    }

    /** Told what each request did (metrics). */
    public interface Listener {
        default void published(CallLogStats stats) {
        }

        default void refused(int status, String code) {
        }
    }

    private final Settings settings;
    private final IngestTokens tokens;
    private final RateLimiter limiter;
    private final Supplier<CallLogSink> sinks;
    private final Clock clock;
    private final Listener listener;
    private final Object lock = new Object();
    private CallLogSink sink;

    public CallPushHandler(Settings settings, Supplier<CallLogSink> sinks, Clock clock, LongSupplier nanoTime,
            Listener listener) {
        this.settings = settings;
        this.tokens = new IngestTokens(settings.tokens());
        this.limiter = new RateLimiter(settings.ratePerSecond(), settings.burst(), nanoTime);
        this.sinks = sinks;
        this.clock = clock;
        this.listener = listener;
    }

    public boolean enabled() {
        return !tokens.none();
    }

    /**
     * Handles one request.
     *
     * @param contentLength the declared body length, or -1 when unknown (chunked)
     */
    public Response handle(String authorization, long contentLength, InputStream body) {
        if (tokens.none()) {
            return error(404, "PUSH_DISABLED", "HTTP push of call logs is disabled on this instance: set "
                    + "interlock.ingest.push.tokens (environment INTERLOCK_INGEST_PUSH_TOKENS) to one or more ingest "
                    + "tokens, comma-separated, and send one as 'Authorization: Bearer <token>'", Map.of());
        }
        int token = tokens.match(authorization);
        if (token == -2) {
            return error(401, "UNAUTHORIZED", "missing ingest token: send 'Authorization: Bearer <token>'",
                    Map.of("WWW-Authenticate", "Bearer realm=\"interlock-ingest\""));
        }
        if (token < 0) {
            return error(401, "UNAUTHORIZED", "unknown ingest token",
                    Map.of("WWW-Authenticate", "Bearer realm=\"interlock-ingest\", error=\"invalid_token\""));
        }
        long wait = limiter.acquire(token);
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            return error(429, "RATE_LIMITED", "more than " + settings.ratePerSecond() + " requests per second (burst "
                    + settings.burst() + ") with this token; retry after " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        if (contentLength > settings.maxRequestBytes()) {
            return tooLarge();
        }
        List<CallLogLine.Parsed> lines = new ArrayList<>();
        try {
            LineReader reader = new LineReader(body, settings.maxLineBytes(), settings.maxRequestBytes());
            LineReader.Line l;
            while ((l = reader.next()) != null) {
                if (l.tooLong()) {
                    lines.add(new CallLogLine.Refused(new Rejection(null, l.number(), null, null,
                            RejectReason.LINE_TOO_LONG, "line of " + l.bytes() + " bytes is longer than the limit of "
                                    + settings.maxLineBytes() + " bytes", l.prefix())));
                } else if (l.notUtf8()) {
                    lines.add(new CallLogLine.Refused(new Rejection(null, l.number(), null, null,
                            RejectReason.MALFORMED, "not valid UTF-8", l.prefix())));
                } else if (!l.blank()) {
                    lines.add(CallLogLine.parse(null, l.number(), l.text(), null));
                }
            }
        } catch (LineReader.TooLargeException e) {
            return tooLarge();
        } catch (IOException e) {
            return error(400, "INVALID_REQUEST", "cannot read the request body: " + e.getMessage(), Map.of());
        }
        return publish(lines);
    }

    private Response publish(List<CallLogLine.Parsed> lines) {
        synchronized (lock) {
            for (int attempt = 0;; attempt++) {
                try {
                    if (sink == null) {
                        sink = sinks.get();
                    }
                    CallLogProcessor processor = new CallLogProcessor(sink.cursors(), settings.maxClockSkew(), clock);
                    lines.forEach(processor::add);
                    CallLogProcessor.Chunk chunk = processor.drain(true);
                    sink.publish(chunk);
                    listener.published(processor.stats());
                    return reply(processor.stats(), chunk);
                } catch (PublishException e) {
                    closeSink();
                    if (!e.retryable() && attempt == 0) {
                        // fenced by another instance of this source: take over again, re-reading its cursors
                        LOG.warnf("Push publisher was fenced (%s); re-reading cursors and retrying once", e.getMessage());
                        continue;
                    }
                    LOG.warnf("Publishing a pushed batch failed: %s", e.getMessage());
                    return error(503, "UNAVAILABLE", "publishing failed, nothing of this batch was published; send it "
                            + "again", Map.of("Retry-After", "1"));
                } catch (org.apache.kafka.common.KafkaException e) {
                    closeSink();
                    LOG.warnf(e, "Cannot publish a pushed batch");
                    return error(503, "UNAVAILABLE", "cannot publish to Kafka now (" + e.getMessage()
                            + "); nothing of this batch was published", Map.of("Retry-After", "5"));
                } catch (RuntimeException e) {
                    // not Kafka's trouble: a bug in processing. Retrying would fail the same way, so no 503.
                    closeSink();
                    LOG.errorf(e, "Processing a pushed batch failed");
                    return error(500, "INTERNAL", "processing this batch failed (" + e
                            + "); nothing of it was published; this is a bug, please report it", Map.of());
                }
            }
        }
    }

    private Response reply(CallLogStats stats, CallLogProcessor.Chunk chunk) {
        List<Rejection> rejected = new ArrayList<>(chunk.rejections());
        rejected.sort(Comparator.comparingLong(Rejection::line));
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Rejection r : rejected.subList(0, Math.min(MAX_LISTED, rejected.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", r.line());
            if (r.idx() != null) {
                m.put("idx", r.idx());
            }
            m.put("code", r.reason().tag());
            m.put("reason", r.detail());
            listed.add(m);
        }
        List<Map<String, Object>> warnings = new ArrayList<>();
        chunk.warnings().stream().sorted(Comparator.comparingLong(CallLogProcessor.Warning::line)).limit(MAX_LISTED)
                .forEach(w -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("line", w.line());
                    m.put("idx", w.idx());
                    m.put("message", w.message());
                    warnings.add(m);
                });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lines", stats.lines());
        body.put("accepted", stats.accepted());
        body.put("duplicates", stats.duplicatesTotal());
        body.put("rejectedCount", rejected.size());
        Map<String, Object> published = new LinkedHashMap<>();
        published.put("events", stats.eventsTotal());
        published.put("logLines", stats.logLinesTotal());
        body.put("published", published);
        body.put("rejected", listed);
        body.put("warnings", warnings);
        return new Response(200, Map.of(), body);
    }

    private Response tooLarge() {
        return error(413, "PAYLOAD_TOO_LARGE", "request body larger than " + settings.maxRequestBytes()
                + " bytes (interlock.ingest.push.max-request-bytes): split the batch; nothing was published", Map.of());
    }

    private Response error(int status, String code, String message, Map<String, String> headers) {
        listener.refused(status, code);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return new Response(status, headers, body);
    }

    private void closeSink() {
        if (sink != null) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.debugf(e, "closing the push sink");
            }
            sink = null;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closeSink();
        }
    }
}
