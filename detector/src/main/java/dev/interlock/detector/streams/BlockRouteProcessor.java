package dev.interlock.detector.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.interlock.detector.ledger.ReconcileMessage;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On the ledger-blocks partitions (keyed by ledger): re-keys each block that pays someone (it has a
 * recipient and an amount) by its recipient account, to the reconcile repartition topic, where the
 * notifies expecting it are. Burns and approvals are of no use to reconciliation and go nowhere; an
 * undecodable record goes to quarantine.
 */
final class BlockRouteProcessor implements Processor<String, byte[], String, byte[]> {
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;

    BlockRouteProcessor(DetectorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
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
        if (m == null) {
            return;
        }
        metrics.routed(DetectorTopology.PROCESSOR_RECONCILE);
        context.forward(new Record<>(m.account(), Json.encode(m), record.timestamp()),
                DetectorTopology.SINK_BLOCKS_TO_RECONCILE);
    }
}
