package dev.interlock.ingest.source.boundary;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * One canister's ingress access logs from every configured API boundary node, merged into one stream of
 * {@link IngressEvent}s (docs/boundary-node-logs.md).
 *
 * <p>The streams are pushed, the runner polls: each node's {@link NodeStream} puts the lines it receives into one
 * bounded buffer (a full buffer drops the line and counts it, per node; the sockets are never held back), and
 * {@link #poll} drains the buffer, parses each line (a bad one is quarantined with its reason), and holds the events for
 * the reorder window so that the lines of all nodes go out in timestamp order. An event that arrives later than that,
 * behind an event already published, is quarantined as out of order; one whose timestamp is further ahead of this
 * server's clock than max-clock-skew too.
 *
 * <p>Exactly once means: no duplicates of what was committed. A live stream cannot be replayed, so the cursor
 * ({@link BoundaryNodeCursor}) records per node the latest published timestamp and the ids at that time. Until a
 * (re)connected stream has passed that mark, the lines it repeats are recognised and skipped (relays that replay,
 * overlapping reconnects); within a process, a line whose id was accepted recently is skipped too. A real boundary
 * node only streams requests from the moment one subscribes, so what it logs while no connection is open, including
 * while Interlock is down, is lost.
 *
 * <p>The source never lets the runner read ahead (its pause is never zero): events of a batch whose publish failed are
 * held until the runner polls again from the committed cursor, and published then.
 */
public final class BoundaryNodeSource implements Source {
    private static final Logger LOG = Logger.getLogger(BoundaryNodeSource.class);

    private final String id;
    private final BoundaryNodeSettings settings;
    private final Vertx vertx;
    private WebSocketClient client;
    private final Clock clock;
    private final AccessLogParser parser;
    private final MeterRegistry registry;

    private final ArrayBlockingQueue<Line> buffer;
    private final Map<String, NodeStream> streams = new LinkedHashMap<>();
    private final Map<String, AtomicLong> dropped = new TreeMap<>();
    private final Map<String, Counter> droppedCounters = new HashMap<>();
    private ScheduledExecutorService timer;
    private boolean started;
    private volatile boolean closed;
    private volatile long lastDropWarning;

    /** Events parsed and waiting for the reorder window, in publishing order. */
    private final TreeSet<Held> held = new TreeSet<>(Held.ORDER);
    /** Quarantined input not yet handed out (returned with the next batch). */
    private final List<SourceBatch.Rejected> pendingRejected = new ArrayList<>();
    /** Batches handed out but not yet known to be committed. */
    private final List<Emitted> unacked = new ArrayList<>();
    private BoundaryNodeCursor committed;
    private String committedJson;
    private BoundaryNodeCursor emitted;
    /** Per node: the mark of everything accepted in this process (published or held), to recognise repeated lines. */
    private final Map<String, BoundaryNodeCursor.Mark> accepted = new HashMap<>();
    /**
     * The held events in arrival order that have not yet waited out the reorder window; and the latest timestamp among
     * those that have: every held event up to it may go. Kept so that a poll costs what it releases, not what is held.
     */
    private final java.util.ArrayDeque<Held> arrivals = new java.util.ArrayDeque<>();
    private long releasableUpTo = Long.MIN_VALUE;
    /** Ids of the events accepted most recently (up to buffer-lines of them): a line seen again is skipped. */
    private final java.util.LinkedHashSet<String> recentIds = new java.util.LinkedHashSet<>();
    /** Per node: the connection whose lines are being read, and whether it has passed the accepted mark. */
    private final Map<String, long[]> catchUp = new HashMap<>();

    private final AtomicLong repeated = new AtomicLong();
    private final Map<String, AtomicLong> rejectedByReason = new TreeMap<>();

    /**
     * A received line, parsed and its event encoded for the topic on the socket's thread (so that this work overlaps
     * with publishing), or its problem.
     */
    private record Line(NodeStream.Received received, AccessLogParser.Result parsed, byte[] encoded) {
    }

    private record Held(IngressEvent event, byte[] raw, long arrivedMillis, byte[] encoded) {
        static final Comparator<Held> ORDER = Comparator.comparingLong((Held h) -> h.event.timeNanos())
                .thenComparing(h -> h.event.boundaryNode()).thenComparing(h -> h.event.id());
    }

    private record Emitted(String cursorJson, BoundaryNodeCursor cursor, List<Held> events, List<SourceBatch.Rejected> rejected) {
    }

    /**
     * @param registry where the drop counter and buffer gauge go ({@code interlock.ingest.boundary.*}, tagged with the
     *                 source and node); null: none
     */
    public BoundaryNodeSource(String id, BoundaryNodeSettings settings, Vertx vertx, Clock clock, MeterRegistry registry) {
        this.id = id;
        this.settings = settings;
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
        this.parser = new AccessLogParser(settings.canister(), settings.maxLineBytes());
        this.buffer = new ArrayBlockingQueue<>(settings.bufferLines());
        for (URI base : settings.nodes()) {
            String node = BoundaryNodeSettings.nodeName(base);
            dropped.put(node, new AtomicLong());
            if (registry != null) {
                droppedCounters.put(node, Counter.builder("interlock.ingest.boundary.dropped").tag("source", id).tag("node", node)
                        .description("Boundary-node log lines dropped because the source's buffer was full").register(registry));
            }
        }
        if (registry != null) {
            Gauge.builder("interlock.ingest.boundary.buffered", buffer, ArrayBlockingQueue::size).tag("source", id)
                    .description("Boundary-node log lines received and not yet polled").register(registry);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration pollInterval() {
        return settings.pollInterval();
    }

    /** Never zero, so the runner never reads ahead; a short pause while more is ready. */
    @Override
    public Duration pauseAfter(SourceBatch batch) {
        synchronized (this) {
            if (batch.records().size() >= settings.maxBatch() || buffer.size() >= settings.maxBatch()) {
                return Duration.ofMillis(1);
            }
        }
        return settings.pollInterval();
    }

    /** Lines received and not yet published (buffered and held for the reorder window). */
    @Override
    public long lag() {
        synchronized (this) {
            return buffer.size() + held.size();
        }
    }

    /** Lines dropped because the buffer was full, per node. */
    public Map<String, Long> dropped() {
        Map<String, Long> m = new TreeMap<>();
        dropped.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canister", settings.canister());
        Map<String, Object> nodes = new LinkedHashMap<>();
        streams.forEach((name, s) -> {
            Map<String, Object> st = s.status();
            st.put("dropped", dropped.get(name).get());
            nodes.put(name, st);
        });
        m.put("nodes", nodes);
        m.put("nodesOpen", streams.values().stream().filter(NodeStream::open).count());
        m.put("buffered", buffer.size());
        m.put("bufferLines", settings.bufferLines());
        m.put("held", held.size());
        m.put("dropped", dropped.values().stream().mapToLong(AtomicLong::get).sum());
        m.put("repeatedSkipped", repeated.get());
        m.put("rejected", rejectedByReasonSnapshot());
        return m;
    }

    /**
     * Quarantined lines so far by kind: {@code too-long}, {@code not-json}, {@code missing-field}, {@code bad-field},
     * {@code wrong-canister}, {@code clock-skew}, {@code out-of-order}.
     */
    public synchronized Map<String, Long> rejectedByReasonSnapshot() {
        Map<String, Long> m = new TreeMap<>();
        rejectedByReason.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public synchronized SourceBatch poll(String cursor) throws SourceException {
        if (closed) {
            throw new SourceException(SourceException.Reason.INTERNAL, false, "source " + id + " is closed", null);
        }
        settle(cursor);
        start();
        List<SourceBatch.Rejected> rejected = new ArrayList<>(pendingRejected);
        pendingRejected.clear();
        drain(rejected);
        List<Held> out = release(rejected);
        if (out.isEmpty() && rejected.isEmpty()) {
            if (!streams.isEmpty() && streams.values().stream().allMatch(NodeStream::down)) {
                throw new SourceException(SourceException.Reason.UNREACHABLE, true, "no boundary node streams the logs of "
                        + settings.canister() + ": " + streams.values().stream().map(s -> s.node() + ": " + s.lastError())
                                .collect(Collectors.joining("; ")), null);
            }
            return new SourceBatch(List.of(), List.of(), cursor);
        }
        List<IngressEvent> events = out.stream().map(Held::event).toList();
        emitted = emitted.after(events);
        String next = emitted.toJson();
        unacked.add(new Emitted(next, emitted, out, List.copyOf(rejected)));
        List<IngestRecord> records = new ArrayList<>(events);
        return new SourceBatch(records, rejected, next, out.stream().map(Held::encoded).toList());
    }

    /**
     * Works out from the cursor the runner polls with which handed-out batches were committed; those that were not
     * (a failed publish) go back to be handed out again.
     */
    private void settle(String cursor) throws SourceException {
        if (committed != null && !unacked.isEmpty()) {
            int k = -1;
            for (int i = 0; i < unacked.size(); i++) {
                if (unacked.get(i).cursorJson().equals(cursor)) {
                    k = i;
                }
            }
            if (k >= 0) {
                committed = unacked.get(k).cursor();
                committedJson = cursor;
                unacked.subList(0, k + 1).clear();
            }
            if (!unacked.isEmpty()) {
                reoffer();
            }
            if (k >= 0 || java.util.Objects.equals(cursor, committedJson)) {
                return;
            }
        } else if (committed != null && java.util.Objects.equals(cursor, committedJson)) {
            return;
        }
        try {
            committed = BoundaryNodeCursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            throw new SourceException(SourceException.Reason.BAD_CONFIGURATION, false, "unreadable boundary-node cursor '" + cursor
                    + "' of source " + id + ": " + e.getMessage(), e);
        }
        committedJson = cursor;
        emitted = committed;
        committed.marks().forEach((node, m) -> accepted.merge(node, m, BoundaryNodeCursor.Mark::later));
        held.removeIf(h -> committed.covers(h.event()));
    }

    /** Puts the events and rejections of uncommitted batches back, to be handed out again from the committed cursor. */
    private void reoffer() {
        for (Emitted e : unacked) {
            held.addAll(e.events());
            pendingRejected.addAll(e.rejected());
        }
        unacked.clear();
        emitted = committed;
    }

    @Override
    public synchronized void rewind() {
        if (!unacked.isEmpty()) {
            reoffer();
        }
    }

    /**
     * Moves received lines into {@link #held} (or into {@code rejected}), as long as the held set has room: at most
     * max-batch of them per poll, so that a poll ends while the nodes keep sending as fast as it parses.
     */
    private void drain(List<SourceBatch.Rejected> rejected) {
        long now = clock.millis();
        long skewLimit = Math.addExact(Math.multiplyExact(now, 1_000_000L), settings.maxClockSkew().toNanos());
        List<Line> lines = new ArrayList<>();
        buffer.drainTo(lines, Math.min(settings.maxBatch(), settings.bufferLines() - held.size()));
        for (Line line : lines) {
            NodeStream.Received r = line.received();
            if (r.problem() != null) {
                reject(rejected, r.node(), r.bytes(), "too-long", r.problem());
                continue;
            }
            AccessLogParser.Result result = line.parsed();
            if (result instanceof AccessLogParser.Bad bad) {
                reject(rejected, r.node(), r.bytes(), bad.kind(), bad.reason());
                continue;
            }
            IngressEvent e = ((AccessLogParser.Parsed) result).event();
            if (recentIds.contains(e.id())) {
                repeated.incrementAndGet();
                continue;
            }
            long[] c = catchUp.computeIfAbsent(r.node(), k -> new long[] {-1, 0});
            if (c[0] != r.connection()) {
                c[0] = r.connection();
                c[1] = 0;
            }
            if (c[1] == 0) {
                BoundaryNodeCursor.Mark mark = accepted.get(r.node());
                if (mark != null && mark.covers(e)) {
                    repeated.incrementAndGet();
                    continue;
                }
                c[1] = 1;
            }
            if (e.timeNanos() > skewLimit) {
                reject(rejected, r.node(), r.bytes(), "clock-skew", "timestamp " + java.time.Instant.ofEpochSecond(0, e.timeNanos()) + " is "
                        + (e.timeNanos() / 1_000_000L - now) + " ms ahead of this server's clock, beyond max-clock-skew ("
                        + settings.maxClockSkew() + ")");
                continue;
            }
            accepted.merge(r.node(), BoundaryNodeCursor.Mark.of(e), BoundaryNodeCursor.Mark::later);
            recentIds.add(e.id());
            if (recentIds.size() > settings.bufferLines()) {
                Iterator<String> oldest = recentIds.iterator();
                oldest.next();
                oldest.remove();
            }
            Held h = new Held(e, r.bytes(), r.receivedAtMillis(), line.encoded());
            held.add(h);
            arrivals.add(h);
        }
    }

    /**
     * Takes the held events that the reorder window lets go, in timestamp order: every event up to the latest timestamp
     * among those that arrived at least a window ago. An event older than one already handed out is out of order.
     */
    private List<Held> release(List<SourceBatch.Rejected> rejected) {
        long due = clock.millis() - settings.reorderWindow().toMillis();
        while (!arrivals.isEmpty() && arrivals.peekFirst().arrivedMillis() <= due) {
            releasableUpTo = Math.max(releasableUpTo, arrivals.pollFirst().event().timeNanos());
        }
        // Events handed out again after a failed publish arrived before it, so they are within releasableUpTo; one
        // that has been released already is not held, or is held behind the last published and is out of order.
        long upTo = releasableUpTo;
        List<Held> out = new ArrayList<>();
        long latest = emitted.latest();
        Iterator<Held> it = held.iterator();
        while (it.hasNext() && out.size() < settings.maxBatch()) {
            Held h = it.next();
            if (h.event().timeNanos() > upTo) {
                break;
            }
            it.remove();
            if (h.event().timeNanos() < latest) {
                reject(rejected, h.event().boundaryNode(), h.raw(), "out-of-order", "out of order: timestamp "
                        + java.time.Instant.ofEpochSecond(0, h.event().timeNanos()) + " is "
                        + (latest - h.event().timeNanos()) / 1_000_000L + " ms before the last published event of "
                        + settings.canister() + " (" + java.time.Instant.ofEpochSecond(0, latest) + "); it arrived later than "
                        + "reorder-window (" + settings.reorderWindow() + ") allows");
                continue;
            }
            out.add(h);
        }
        return out;
    }

    private void reject(List<SourceBatch.Rejected> rejected, String node, byte[] raw, String kind, String reason) {
        rejected.add(new SourceBatch.Rejected(settings.canister(), raw, "boundary node " + node + ": " + reason));
        rejectedByReason.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (registry != null) {
            Counter.builder("interlock.ingest.boundary.rejected").tag("source", id).tag("reason", kind)
                    .description("Boundary-node log lines quarantined, by reason").register(registry).increment();
        }
    }

    /** Opens one stream per node (on the first poll, so that a source that is never run never connects). */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "boundary-" + id);
            t.setDaemon(true);
            return t;
        });
        // connect and handshake timeouts are set per connection (NodeStream)
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(NodeStream.MAX_FRAME_BYTES)
                .setMaxMessageSize(Integer.MAX_VALUE).setVerifyHost(true).setName("boundary-" + id));
        for (URI base : settings.nodes()) {
            String node = BoundaryNodeSettings.nodeName(base);
            NodeStream s = new NodeStream(node, settings.streamUri(base), client, settings, timer, this::offer, clock);
            streams.put(node, s);
        }
        LOG.infof("Source %s: streaming access logs of canister %s from %d boundary node(s): %s", id, settings.canister(),
                streams.size(), String.join(", ", streams.keySet()));
        streams.values().forEach(NodeStream::start);
    }

    /** Called on the sockets' threads: parses the line; never blocks; a full buffer drops the line and counts it. */
    private void offer(NodeStream.Received line) {
        AccessLogParser.Result parsed = line.problem() != null ? null : parser.parse(line.node(), line.bytes());
        byte[] encoded = parsed instanceof AccessLogParser.Parsed p ? Json.encode(p.event()) : null;
        if (buffer.offer(new Line(line, parsed, encoded))) {
            return;
        }
        AtomicLong d = dropped.get(line.node());
        long n = d == null ? 0 : d.incrementAndGet();
        Counter c = droppedCounters.get(line.node());
        if (c != null) {
            c.increment();
        }
        long now = clock.millis();
        if (now - lastDropWarning > 10_000) {
            lastDropWarning = now;
            LOG.warnf("Source %s: the buffer of %d lines is full, lines from boundary node %s are dropped (%d so far from it): "
                    + "the ingress events they held are lost; raise buffer-lines or check that publishing keeps up", id,
                    settings.bufferLines(), line.node(), n);
        }
    }

    @Override
    public void close() {
        closed = true;
        List<NodeStream> all;
        synchronized (this) {
            all = List.copyOf(streams.values());
        }
        all.forEach(NodeStream::close);
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdown();
        }
        WebSocketClient c;
        synchronized (this) {
            c = client;
        }
        if (c != null) {
            c.close();
        }
    }
}
