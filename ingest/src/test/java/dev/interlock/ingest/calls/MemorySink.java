package dev.interlock.ingest.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.interlock.model.IngestRecord;

/** A {@link CallLogSink} in memory: what a transactional sink would have committed. */
public final class MemorySink implements CallLogSink {
    public final List<IngestRecord> records = new ArrayList<>();
    public final List<Rejection> quarantined = new ArrayList<>();
    public final Map<String, Long> cursors = new TreeMap<>();
    public int transactions;

    @Override
    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    @Override
    public void publish(CallLogProcessor.Chunk chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        records.addAll(chunk.records());
        quarantined.addAll(chunk.rejections());
        cursors.putAll(chunk.cursorUpdates());
        transactions++;
    }
}
