package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.ContextState;
import dev.interlock.detector.core.StateWrite;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * Runs the detector engine on each call event of a canister (records arrive keyed by
 * canister, so one task owns a canister's whole state). A record that cannot be used goes to
 * the quarantine topic with its reason; it never stops the partition. Every usable event is
 * handed on, decoded, to {@link CrossRouteProcessor}, which routes what the cross-canister
 * detectors need to their repartition topics.
 */
final class DetectProcessor implements Processor<String, byte[], String, Object> {
    /** Wall-clock silence after which a canister's last message is taken as ended (and what waited for a next one). */
    private final long quietNanos;

    private final DetectorEngine engine;
    private final DetectorMetrics metrics;
    private final Duration tick;
    private ProcessorContext<String, Object> context;
    /** Each canister's correlation state without its contexts (small): key = canister. */
    private KeyValueStore<String, CanisterState> store;
    /** Each call context apart: key = canister, NUL, context id. */
    private KeyValueStore<String, ContextState> contexts;
    /** Each recent state-key write apart: key = canister, NUL, state key, NUL, event seq (zero-padded). */
    private KeyValueStore<String, StateWrite> keyWrites;
    /**
     * The states this task has loaded, kept whole in memory: the stores are written through on every change,
     * so this is only a read cache (rebuilt from the stores after a restart or a task move).
     */
    private final Map<String, CanisterState> live = new HashMap<>();
    /**
     * Canisters changed since the last commit, with the contexts each changed: written to the stores just
     * before the commit ({@link CommitHook}), once per commit however many events changed them.
     */
    private final Map<String, Set<String>> dirty = new LinkedHashMap<>();
    /** Every canister of this task, for the timer (read from the store at its first run, then kept up to date). */
    private Set<String> known;

    DetectProcessor(DetectorEngine engine, DetectorMetrics metrics, Duration tick, Duration quietAfter) {
        this.quietNanos = quietAfter.toNanos();
        this.engine = engine;
        this.metrics = metrics;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(DetectorTopology.STORE_CANISTER_STATE);
        this.contexts = context.getStateStore(DetectorTopology.STORE_CANISTER_CONTEXTS);
        this.keyWrites = context.getStateStore(DetectorTopology.STORE_CANISTER_KEY_WRITES);
        live.clear();
        dirty.clear();
        known = null;
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_DETECT_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_DETECT, new CommitHook.Listener() {
            @Override
            public void beforeCommit() {
                writeDirty();
            }

            @Override
            public void discard() {
                // a dirty close: the stores go back to the last commit, so must this task's view of them
                dirty.clear();
                live.clear();
                known = null;
            }
        });
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tickAll);
    }

    @Override
    public void close() {
        live.clear();
        dirty.clear();
    }

    /** Notes what a step changed, to be written at the next commit. */
    private void markDirty(CanisterState s, Collection<String> changedContexts) {
        dirty.computeIfAbsent(s.canister, k -> new LinkedHashSet<>()).addAll(changedContexts);
    }

    /** Writes every canister changed since the last commit: called by the commit hook. */
    void writeDirty() {
        for (Map.Entry<String, Set<String>> e : dirty.entrySet()) {
            CanisterState s = live.get(e.getKey());
            if (s != null) {
                save(s, e.getValue());
            }
        }
        dirty.clear();
    }

    private static String writeKey(String canister, StateWrite w) {
        // zero-padded to 19 digits, so that keys sort by seq (String.format is slow on this path)
        String seq = w.seq < 0 ? String.format("%019d", w.seq) : Long.toString(w.seq);
        return canister + '\u0000' + w.key + '\u0000' + "0".repeat(Math.max(0, 19 - seq.length())) + seq;
    }

    private static String contextKey(String canister, String context) {
        return canister + '\u0000' + context;
    }

    /** A canister's whole state: from the cache, or its header and its contexts (in the order they opened) from the stores. */
    private CanisterState load(String canister) {
        CanisterState s = live.get(canister);
        if (s != null) {
            return s;
        }
        s = store.get(canister);
        if (s == null) {
            return null;
        }
        // written before contexts and key writes were kept apart: move them out on this save
        boolean legacy = !s.contexts.isEmpty() || !s.keyWrites.isEmpty();
        try (KeyValueIterator<String, StateWrite> it = keyWrites.prefixScan(canister + '\u0000', new StringSerializer())) {
            while (it.hasNext()) {
                StateWrite w = it.next().value;
                s.keyWrites.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w); // in seq order: the keys sort so
            }
        }
        List<ContextState> found = new ArrayList<>(s.contexts.values());
        try (KeyValueIterator<String, ContextState> it = contexts.prefixScan(canister + '\u0000', new StringSerializer())) {
            while (it.hasNext()) {
                found.add(it.next().value);
            }
        }
        found.sort(Comparator.comparingLong((ContextState c) -> c.openedAt));
        s.contexts = new LinkedHashMap<>();
        int open = 0;
        for (ContextState c : found) {
            s.contexts.put(c.id, c);
            open += c.stillOpen() ? 1 : 0;
        }
        s.openContexts = open; // counted again: a state stored before the count was kept has none
        if (legacy) {
            s.keyWrites.values().forEach(s.addedWrites::addAll);
            save(s, List.copyOf(s.contexts.keySet()));
        }
        live.put(canister, s);
        return s;
    }

    /**
     * The contexts a step may have changed: the event's own, the one whose message it ended, and those the
     * alerts it raised name (a detector marks only what it reports on, e.g. a stalled call as reported).
     */
    private static Set<String> changed(List<Alert> alerts, String eventContext, String endedMessageContext) {
        Set<String> ids = new LinkedHashSet<>();
        if (eventContext != null) {
            ids.add(eventContext);
        }
        if (endedMessageContext != null) {
            ids.add(endedMessageContext);
        }
        for (Alert a : alerts) {
            ids.addAll(a.evidence().contextIds());
        }
        return ids;
    }

    /**
     * Writes what changed: the header, the given contexts, and the deletion of evicted ones. Additions go
     * first: a context or key write that came and went since the last write is put, then deleted.
     */
    private void save(CanisterState s, Collection<String> changedContexts) {
        for (String id : changedContexts) {
            ContextState c = s.contexts.get(id);
            if (c != null) {
                contexts.put(contextKey(s.canister, id), c);
            }
        }
        // put(key, null) deletes without reading the old value back, as delete(key) does
        for (String id : s.evicted) {
            contexts.put(contextKey(s.canister, id), null);
        }
        s.evicted.clear();
        for (StateWrite w : s.addedWrites) {
            keyWrites.put(writeKey(s.canister, w), w);
        }
        s.addedWrites.clear();
        for (StateWrite w : s.droppedWrites) {
            keyWrites.put(writeKey(s.canister, w), null);
        }
        s.droppedWrites.clear();
        Map<String, ContextState> all = s.contexts;
        Map<String, List<StateWrite>> writes = s.keyWrites;
        s.contexts = new LinkedHashMap<>();
        s.keyWrites = new HashMap<>();
        try {
            store.put(s.canister, s); // serialised now, without the contexts and key writes
        } finally {
            s.contexts = all;
            s.keyWrites = writes;
        }
    }

    /** Time passes for every canister of this task, events or not. */
    private void tickAll(long wallMillis) {
        int blind = 0;
        for (CanisterState s : live.values()) {
            blind += s.sawOptionalEvidence ? 0 : 1;
        }
        metrics.canistersWithoutOptionalEvidence(context.taskId().toString(), blind);
        if (known == null) {
            // once per task: the canisters stored before (after that, new ones are added as they come)
            known = new LinkedHashSet<>(live.keySet());
            try (KeyValueIterator<String, CanisterState> it = store.all()) {
                while (it.hasNext()) {
                    known.add(it.next().key);
                }
            }
        }
        for (String canister : List.copyOf(known)) {
            {
                CanisterState state = load(canister);
                if (state == null) {
                    continue;
                }
                String messageContext = state.message == null ? null : state.message.context;
                long elapsed = state.lastWallMillis == 0 ? 0
                        : Math.max(0, wallMillis - state.lastWallMillis) * 1_000_000L;
                // The IC runs a trapped callback's cleanup at once: after a quiet spell the last message of
                // the canister has ended, and what waited for its end can be decided.
                // once per silence: the flagged end of each message leaves no message in progress, so "in a message"
                // no longer tells whether this silence was reported
                boolean quiet = elapsed >= quietNanos && state.quietReportedFor != state.lastWallMillis;
                if (quiet) {
                    state.quietReportedFor = state.lastWallMillis;
                }
                List<Alert> alerts = engine.tick(state, state.lastEventTime + elapsed, quiet);
                if (quiet || !alerts.isEmpty()) {
                    markDirty(state, changed(alerts, null, messageContext));
                }
                if (!alerts.isEmpty()) {
                    for (Alert alert : alerts) {
                        metrics.alertRaised(alert.alertClass());
                        alert.evidence().missing().forEach(m -> metrics.evidenceMissing(alert.alertClass(), m));
                        context.forward(new Record<>(alert.canister(), Json.encode(alert), wallMillis),
                                DetectorTopology.SINK_ALERTS);
                    }
                }
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CallEvent event;
        try {
            event = Json.decode(record.value(), CallEvent.class);
            List<String> problems = event.problems();
            if (!problems.isEmpty()) {
                throw new MalformedRecordException("unusable call event: " + String.join("; ", problems));
            }
            if (record.key() != null && !record.key().equals(event.canister())) {
                throw new MalformedRecordException("record key " + record.key() + " differs from the event's canister "
                        + event.canister() + " (calls must be keyed by canister)");
            }
        } catch (MalformedRecordException e) {
            quarantine(record, e.getMessage());
            return;
        }
        CanisterState state = load(event.canister());
        if (state == null) {
            state = CanisterState.empty(event.canister());
            live.put(event.canister(), state);
            if (known != null) {
                known.add(event.canister());
            }
        }
        String messageContext = state.message == null ? null : state.message.context;
        List<Alert> alerts = engine.process(state, event);
        state.lastWallMillis = context.currentSystemTimeMs();
        metrics.eventProcessed();
        markDirty(state, changed(alerts, event.context(), messageContext));
        for (Alert alert : alerts) {
            metrics.alertRaised(alert.alertClass());
            alert.evidence().missing().forEach(m -> metrics.evidenceMissing(alert.alertClass(), m));
            context.forward(new Record<>(alert.canister(), Json.encode(alert), record.timestamp()),
                    DetectorTopology.SINK_ALERTS);
        }
        ContextState ctx = state.context(event.context());
        context.forward(record.withValue(new DecodedEvent(event, record.value(),
                ctx == null || event.call() == null ? null : ctx.calls.get(event.call()), ctx == null ? null : ctx.caller,
                state)),
                DetectorTopology.PROCESSOR_CROSS_ROUTE);
    }

    private void quarantine(Record<String, byte[]> record, String reason) {
        metrics.quarantined(Quarantine.category(reason));
        context.forward(Quarantine.of(record, reason, context, Topics.CALLS), DetectorTopology.SINK_QUARANTINE);
    }
}
