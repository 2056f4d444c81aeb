package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.interlock.detector.ledger.PaymentMessage;
import dev.interlock.detector.ledger.ReconcileMessage;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On the ledger-blocks partitions (keyed by ledger): re-keys each block for the stages that match
 * blocks with calls.
 * <ul>
 * <li>A block that pays someone (it has a recipient and an amount), by its recipient account, to the
 * reconcile repartition topic, where the notifies expecting it are.</li>
 * <li>A block that moves funds out of an ICRC-1 account (a transfer or a burn), by the owner of that
 * account, to the payments repartition topic, where the payer's transfer calls are.</li>
 * <li>Every {@code tick}, each ledger's latest block routed, to every partition of the payments topic:
 * a ledger's blocks come from this one task in order, so a partition that hears of block N has every
 * earlier block meant for it, and can decide the replies that named them.</li>
 * </ul>
 * Approvals and mints go to neither payments nor (without recipient) reconcile; an undecodable record
 * goes to quarantine.
 */
final class BlockRouteProcessor implements Processor<String, byte[], String, byte[]> {
    private final DetectorMetrics metrics;
    private final Duration tick;
    private ProcessorContext<String, byte[]> context;
    /** ledger → its latest block routed since the last progress was sent: {index, time}. */
    private final Map<String, long[]> progress = new LinkedHashMap<>();

    BlockRouteProcessor(DetectorMetrics metrics, Duration tick) {
        this.metrics = metrics;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::sendProgress);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        LedgerBlock block;
        try {
            block = Json.decode(record.value(), LedgerBlock.class);
            if (block.ledger() == null || block.ledger().isBlank()) {
                throw new MalformedRecordException("unusable ledger block: ledger is missing");
            }
        } catch (MalformedRecordException e) {
            metrics.quarantined(Quarantine.category(e.getMessage()));
            context.forward(Quarantine.of(record, e.getMessage(), context, Topics.LEDGER_BLOCKS),
                    DetectorTopology.SINK_BLOCKS_QUARANTINE);
            return;
        }
        ReconcileMessage m = ReconcileMessage.block(block);
        if (m != null) {
            metrics.routed(DetectorTopology.PROCESSOR_RECONCILE);
            context.forward(new Record<>(m.account(), Json.encode(m), record.timestamp()),
                    DetectorTopology.SINK_BLOCKS_TO_RECONCILE);
        }
        PaymentMessage p = PaymentMessage.block(block);
        if (p != null) {
            metrics.routed(DetectorTopology.PROCESSOR_PAYMENTS);
            context.forward(new Record<>(p.payer(), Json.encode(p), record.timestamp()),
                    DetectorTopology.SINK_BLOCKS_TO_PAYMENTS);
        }
        long[] latest = progress.computeIfAbsent(block.ledger(), l -> new long[] {-1, 0});
        latest[0] = Math.max(latest[0], block.index());
        latest[1] = Math.max(latest[1], block.timestampNanos());
    }

    private void sendProgress(long wallMillis) {
        for (Map.Entry<String, long[]> e : progress.entrySet()) {
            PaymentMessage p = PaymentMessage.progress(e.getKey(), e.getValue()[0], e.getValue()[1]);
            context.forward(new Record<>(e.getKey(), Json.encode(p), wallMillis),
                    DetectorTopology.SINK_PROGRESS_TO_PAYMENTS);
        }
        progress.clear();
    }
}
