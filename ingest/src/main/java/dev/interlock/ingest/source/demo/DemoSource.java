package dev.interlock.ingest.source.demo;

import java.time.Duration;
import java.util.List;

import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.IngestRecord;

/**
 * Plays the {@link DemoCorpus} one record per poll, so the dashboard shows the incident unfold.
 * Cursor: {@code <next index>@<base time ns>}; the base time is fixed on the first poll and kept
 * in the cursor, so a restart resumes the same simulated incident instead of starting another.
 */
public final class DemoSource implements Source {
    private final Duration interval;
    private final long firstBaseTime;

    public DemoSource(Duration interval, long firstBaseTimeNanos) {
        this.interval = interval;
        this.firstBaseTime = firstBaseTimeNanos;
    }

    @Override
    public String id() {
        return "demo";
    }

    private DemoCorpus corpus;
    private long corpusBase;

    /** The demo's records for a base time (built once: the simulation takes a moment). */
    public synchronized DemoCorpus corpus(long baseTime) {
        if (corpus == null || corpusBase != baseTime) {
            corpus = DemoCorpus.build(baseTime);
            corpusBase = baseTime;
        }
        return corpus;
    }

    @Override
    public SourceBatch poll(String cursor) {
        Cursor c = Cursor.parse(cursor, firstBaseTime);
        List<IngestRecord> all = corpus(c.baseTime).records();
        if (c.next >= all.size()) {
            return SourceBatch.of(List.of(), c.toString());
        }
        return SourceBatch.of(List.of(all.get(c.next)), new Cursor(c.next + 1, c.baseTime).toString());
    }

    @Override
    public Duration pollInterval() {
        return interval;
    }

    @Override
    public boolean exhausted(String cursor) {
        if (cursor == null) {
            return false;
        }
        Cursor c = Cursor.parse(cursor, firstBaseTime);
        return c.next >= corpus(c.baseTime).records().size();
    }

    private record Cursor(int next, long baseTime) {
        static Cursor parse(String text, long defaultBase) {
            if (text == null) {
                return new Cursor(0, defaultBase);
            }
            String[] parts = text.split("@", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("demo cursor '" + text + "' is not <index>@<base time>");
            }
            return new Cursor(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }

        @Override
        public String toString() {
            return next + "@" + baseTime;
        }
    }
}
