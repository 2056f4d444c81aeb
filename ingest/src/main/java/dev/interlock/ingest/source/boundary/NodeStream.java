package dev.interlock.ingest.source.boundary;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.interlock.ingest.runtime.Backoff;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;

/**
 * The WebSocket connection to one boundary node's access-log stream of one canister: connects, hands every message to
 * the source's buffer, pings to notice a dead peer, and reconnects with exponential backoff and jitter whenever the
 * connection fails, closes or goes silent, until {@link #close()}.
 *
 * <p>The boundary node sends each log line as one binary message (text messages are accepted too); a message may carry
 * several newline-separated lines (relays and recorders do that). Messages are always read on: when the buffer is
 * full the line is dropped and counted, the socket is never held back.
 *
 * <p>Built on Vert.x's WebSocket client: frames are read on an event loop and handed to the sink there, without a
 * thread hop per message (the JDK's client cost about three times as much CPU per message under load; BoundaryNodeBench).
 * Frames are taken one by one, so a message longer than max-line-bytes is cut to a quarantined prefix while the
 * connection goes on; a single frame larger than {@link #MAX_FRAME_BYTES} ends the connection.
 */
final class NodeStream {
    private static final Logger LOG = Logger.getLogger(NodeStream.class);
    /** A connection that delivered a message, or stayed open this long, resets the backoff. */
    static final Duration STABLE = Duration.ofSeconds(30);
    /** A ping's payload (a new buffer per ping: Netty releases what it wrote). */
    private static final byte[] PING = "interlock".getBytes(StandardCharsets.US_ASCII);
    /** The largest single frame accepted (messages may be longer, in several frames). */
    static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    /** Where messages go: the source's bounded buffer. */
    interface Sink {
        /** One line (or an over-long message's prefix with a problem) from connection {@code connection} of {@code node}. */
        void accept(Received line);
    }

    /** A line as received; {@code problem} is set (with the line's prefix) when the message was too long to take whole. */
    record Received(String node, long connection, byte[] bytes, String problem, long receivedAtMillis) {
    }

    private final String node;
    private final URI uri;
    private final WebSocketClient client;
    private final BoundaryNodeSettings settings;
    private final ScheduledExecutorService timer;
    private final Sink sink;
    private final java.time.Clock clock;
    private final Backoff backoff;

    private final AtomicLong connectionSeq = new AtomicLong();
    private volatile boolean closed;
    private volatile Connection current;
    private ScheduledFuture<?> pinger;

    private volatile String state = "idle";
    private volatile String lastError;
    /** Failed connections in a row (reset by one that delivered a line or stayed up {@link #STABLE}). */
    private volatile int streak;
    private volatile Instant lastErrorAt;
    private volatile Instant connectedAt;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private volatile long lastMessageMillis;

    NodeStream(String node, URI uri, WebSocketClient client, BoundaryNodeSettings settings, ScheduledExecutorService timer,
            Sink sink, java.time.Clock clock) {
        this.node = node;
        this.uri = uri;
        this.client = client;
        this.settings = settings;
        this.timer = timer;
        this.sink = sink;
        this.clock = clock;
        this.backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax());
    }

    String node() {
        return node;
    }

    URI uri() {
        return uri;
    }

    boolean open() {
        return "open".equals(state);
    }

    /**
     * True when the node is not streaming and its last two connections at least failed in a row (none delivered a line
     * or stayed up): a single reconnect, such as after the node closed an idle stream, is not an outage.
     */
    boolean down() {
        return !open() && streak >= 2;
    }

    String lastError() {
        return lastError;
    }

    long messages() {
        return messages.get();
    }

    void start() {
        synchronized (this) {
            if (pinger == null && !settings.pingInterval().isZero()) {
                long every = Math.max(1, settings.pingInterval().toMillis());
                pinger = timer.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
            }
        }
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        long seq = connectionSeq.incrementAndGet();
        Connection c = new Connection(seq);
        current = c;
        state = "connecting";
        WebSocketConnectOptions options;
        try {
            options = new WebSocketConnectOptions().setAbsoluteURI(uri.toString())
                    .setConnectTimeout(settings.connectTimeout().toMillis()).setTimeout(settings.connectTimeout().toMillis());
            client.connect(options).onComplete(ar -> {
                if (ar.failed()) {
                    c.ended(describe(ar.cause()));
                } else {
                    c.opened(ar.result());
                }
            });
        } catch (RuntimeException e) {
            c.ended("cannot connect: " + e.getMessage());
        }
    }

    /** Sends a ping on an open connection; aborts it when the node has been silent for three intervals. */
    private void ping() {
        Connection c = current;
        if (c == null || c.ws == null || c.done) {
            return;
        }
        long silentFor = clock.millis() - c.lastActivity;
        if (silentFor > 3 * settings.pingInterval().toMillis()) {
            c.ended("no message and no pong for " + silentFor + " ms"); // aborts the connection
            return;
        }
        try {
            c.ws.writePing(Buffer.buffer(PING));
        } catch (RuntimeException e) {
            // the connection is closing; the close handler reconnects
        }
    }

    private synchronized void scheduleReconnect(Connection c, String why) {
        if (closed || current != c) {
            return;
        }
        boolean wasStable = c.messages > 0 || (c.openedAt > 0 && clock.millis() - c.openedAt >= STABLE.toMillis());
        if (wasStable) {
            backoff.reset();
        }
        failures.incrementAndGet();
        lastError = why;
        lastErrorAt = Instant.ofEpochMilli(clock.millis());
        state = "waiting";
        Duration wait = backoff.next();
        streak = backoff.attempts();
        if (backoff.attempts() <= 1 || backoff.attempts() % 10 == 0) {
            LOG.warnf("Boundary node %s (canister %s): %s; reconnecting in %d ms (attempt %d)", node, settings.canister(), why,
                    wait.toMillis(), backoff.attempts());
        } else {
            LOG.debugf("Boundary node %s: %s; reconnecting in %d ms (attempt %d)", node, why, wait.toMillis(), backoff.attempts());
        }
        try {
            timer.schedule(this::connect, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    void close() {
        closed = true;
        state = "closed";
        synchronized (this) {
            if (pinger != null) {
                pinger.cancel(false);
            }
        }
        Connection c = current;
        if (c != null && c.ws != null) {
            c.done = true;
            try {
                c.ws.close((short) 1000, "interlock source stopped");
            } catch (RuntimeException e) {
                // closed already
            }
        }
    }

    /** Closes a connection without waiting for the node's part of the closing handshake. */
    private static void abort(WebSocket ws) {
        try {
            ws.close((short) 1001, "going away").onComplete(ar -> { });
        } catch (RuntimeException e) {
            // closed already
        }
    }

    Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", uri.toString());
        m.put("state", state);
        m.put("connectedAt", connectedAt == null ? null : connectedAt.toString());
        m.put("connects", connects.get());
        m.put("failures", failures.get());
        m.put("failuresInARow", streak);
        m.put("messages", messages.get());
        m.put("lastMessageAt", lastMessageMillis == 0 ? null : Instant.ofEpochMilli(lastMessageMillis).toString());
        m.put("lastError", lastError);
        m.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        return m;
    }

    private String describe(Throwable err) {
        Throwable t = err;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UpgradeRejectedException h) {
            int status = h.getStatus();
            String hint = switch (status) {
                case 404 -> ": the node does not know canister " + settings.canister() + " (not in its routing table), or "
                        + "this is not an API boundary node";
                case 429 -> ": too many subscribers to this canister (the node limits subscribers per client IP and per canister)";
                default -> "";
            };
            return "handshake refused with HTTP " + status + hint;
        }
        if (t instanceof javax.net.ssl.SSLException) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "TLS handshake failed: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage())
                    + " (wss:// nodes must present a certificate this JVM's trust store accepts, for the host in the URL)";
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** One connection attempt and, once open, its messages. */
    private final class Connection {
        final long seq;
        volatile WebSocket ws;
        volatile boolean done;
        volatile long openedAt;
        volatile long lastActivity;
        volatile long messages;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean tooLong;
        private long tooLongBytes;

        Connection(long seq) {
            this.seq = seq;
        }

        /** The handshake succeeded: read every frame as it comes, on the connection's event loop. */
        void opened(WebSocket webSocket) {
            ws = webSocket;
            if (closed || current != this) {
                abort(webSocket);
                return;
            }
            openedAt = clock.millis();
            lastActivity = openedAt;
            connectedAt = Instant.ofEpochMilli(openedAt);
            state = "open";
            connects.incrementAndGet();
            webSocket.frameHandler(this::frame);
            webSocket.closeHandler(v -> {
                Short code = webSocket.closeStatusCode();
                String reason = webSocket.closeReason();
                ended(code == null ? "connection closed" : "closed by the node with code " + code
                        + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
            });
            webSocket.exceptionHandler(e -> ended("connection failed: " + describe(e)));
            LOG.infof("Boundary node %s: streaming access logs of canister %s (connection %d)", node, settings.canister(), seq);
        }

        private void frame(WebSocketFrame f) {
            if (f.isBinary() || f.isText() || f.isContinuation()) {
                take(f.binaryData(), f.isFinal());
            } else if (f.isPing() || f.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
                lastActivity = clock.millis(); // Vert.x answers pings itself
            }
        }

        /** Appends a fragment; a complete message is split into lines and handed on. */
        private void take(Buffer data, boolean last) {
            long now = clock.millis();
            lastActivity = now;
            int room = settings.maxLineBytes() + 1 - partial.size();
            int n = data.length();
            if (last && !tooLong && partial.size() == 0 && n <= room) {
                complete(data.getBytes(), now);
                return;
            }
            if (!tooLong && n <= room) {
                byte[] b = data.getBytes();
                partial.write(b, 0, n);
            } else {
                if (!tooLong) {
                    tooLongBytes = partial.size();
                    tooLong = true;
                }
                tooLongBytes += n;
            }
            if (!last) {
                return;
            }
            byte[] whole = partial.toByteArray();
            partial.reset();
            complete(whole, now);
        }

        /**
         * A whole message: split into lines and handed on (or its prefix, when it was too long). It is counted in the
         * node's status once handed on, so that whoever reads N messages there finds their lines buffered or dropped.
         */
        private void complete(byte[] whole, long now) {
            messages++;
            lastMessageMillis = now;
            try {
                handOn(whole, now);
            } finally {
                NodeStream.this.messages.incrementAndGet();
            }
        }

        private void handOn(byte[] whole, long now) {
            if (tooLong) {
                tooLong = false;
                byte[] prefix = java.util.Arrays.copyOf(whole, Math.min(whole.length, 1024));
                sink.accept(new Received(node, seq, prefix, "message of " + tooLongBytes + " bytes is longer than max-line-bytes ("
                        + settings.maxLineBytes() + ")", now));
                return;
            }
            int start = 0;
            for (int i = 0; i <= whole.length; i++) {
                if (i == whole.length || whole[i] == '\n') {
                    int end = i > start && whole[i - 1] == '\r' ? i - 1 : i;
                    if (end > start && !blank(whole, start, end)) {
                        byte[] line = start == 0 && end == whole.length ? whole : java.util.Arrays.copyOfRange(whole, start, end);
                        sink.accept(new Received(node, seq, line, null, now));
                    }
                    start = i + 1;
                }
            }
        }

        /** The connection ended (or never opened): the first caller closes it and schedules the reconnect. */
        void ended(String why) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            WebSocket w = ws;
            if (w != null && !w.isClosed()) {
                abort(w);
            }
            if (!closed) {
                scheduleReconnect(this, why);
            }
        }
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(b[i])) {
                return false;
            }
        }
        return true;
    }
}
