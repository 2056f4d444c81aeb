package dev.interlock.ingest.calls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports call-log files through the {@link CallLogProcessor} into a {@link CallLogSink}, one transaction per
 * {@link Options#linesPerTransaction} lines (records, quarantine and cursors together), so that an import
 * stopped half-way and run again, or run twice, publishes every record once. Files are read in the order
 * given, as one stream per canister (a canister's records may continue in the next file).
 *
 * <p>Two file forms, told apart by their first non-blank line:
 * <ul>
 * <li>NDJSON records in the push line schema ({@link CallLogLine}): what a relay sends, what
 * {@code ./interlock simulate} writes to {@code logs.ndjson} ({@code timestamp_nanos} for {@code ts});
 * records without {@code canister} take {@link Options#canister}.</li>
 * <li>Text as {@code dfx canister logs} prints it: {@code [<idx>. <RFC 3339 time>]: <content>}, lines without
 * that header continuing the record before them (multi-line trap records with a backtrace). Such a file names
 * no canister: {@link Options#canister} is required.</li>
 * </ul>
 */
public final class CallLogImporter {
    /** Matches the header of a {@code dfx canister logs} record. */
    static final Pattern TEXT_RECORD = Pattern.compile("^\\[(\\d{1,19})\\. ([0-9][0-9T:.,+\\-Zz ]*)\\]: ?(.*)$",
            Pattern.DOTALL);
    private static final int SAMPLE = 20;

    /**
     * @param canister            canister of records that name none (text files, NDJSON without it), or null
     * @param maxClockSkew        clock-skew tolerance (see {@link CallLogProcessor}), or null for none
     * @param maxLineBytes        longest line accepted; a longer one is rejected on its own
     * @param linesPerTransaction lines read between two commits
     */
    public record Options(String canister, Duration maxClockSkew, int maxLineBytes, int linesPerTransaction,
            Clock clock) {
        public static Options defaults() {
            return new Options(null, Duration.ofMinutes(5), 64 * 1024, 10_000, Clock.systemUTC());
        }

        public Options withCanister(String c) {
            return new Options(c, maxClockSkew, maxLineBytes, linesPerTransaction, clock);
        }

        public Options withLinesPerTransaction(int n) {
            return new Options(canister, maxClockSkew, maxLineBytes, n, clock);
        }

        public Options withMaxClockSkew(Duration d) {
            return new Options(canister, d, maxLineBytes, linesPerTransaction, clock);
        }

        public Options withMaxLineBytes(int n) {
            return new Options(canister, maxClockSkew, n, linesPerTransaction, clock);
        }

        public Options withClock(Clock c) {
            return new Options(canister, maxClockSkew, maxLineBytes, linesPerTransaction, c);
        }
    }

    /** Told every few thousand lines and at the end of each file. */
    public interface Progress {
        void update(String file, long fileBytesRead, long fileBytes, long linesRead);
    }

    /** The form of a file. */
    public enum Form { NDJSON, TEXT, EMPTY }

    private final CallLogSink sink;
    private final Options options;
    private final Progress progress;
    private final CallLogProcessor processor;
    private final List<Rejection> rejectedSample = new ArrayList<>();
    private final List<CallLogProcessor.Warning> warningSample = new ArrayList<>();
    private long warnings;
    private long linesRead;
    private long bytesRead;
    private long sinceCommit;
    private long transactions;

    public CallLogImporter(CallLogSink sink, Options options, Progress progress) {
        this.sink = sink;
        this.options = options;
        this.progress = progress;
        this.processor = new CallLogProcessor(sink.cursors(), options.maxClockSkew(), options.clock());
    }

    /**
     * The form of a file, from its first non-blank line; fails when it is neither, or when it is text and no
     * canister was given, so that a wrong file is refused before anything is published.
     */
    public static Form form(Path file, String canister) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String t = line.stripLeading();
                if (t.startsWith("{")) {
                    return Form.NDJSON;
                }
                if (TEXT_RECORD.matcher(t).matches()) {
                    if (canister == null) {
                        throw new IllegalArgumentException(file + " holds text log records ([idx. time]: content), "
                                + "which name no canister: give the canister id with --canister");
                    }
                    return Form.TEXT;
                }
                throw new IllegalArgumentException(file + ": the first line is neither an NDJSON log record nor a "
                        + "'[idx. time]: content' record as dfx canister logs prints it");
            }
            return Form.EMPTY;
        }
    }

    /** Imports one file (publishing as it goes); call {@link #finish()} after the last. */
    public void importFile(Path file) throws IOException {
        Form form = form(file, options.canister());
        String origin = file.getFileName().toString();
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            LineReader reader = new LineReader(in, options.maxLineBytes(), -1);
            TextRecord text = null;
            LineReader.Line l;
            long fileLines = 0;
            while ((l = reader.next()) != null) {
                fileLines++;
                linesRead++;
                if (form == Form.TEXT) {
                    text = textLine(origin, l, text);
                } else if (!l.blank()) {
                    if (l.tooLong()) {
                        processor.reject(tooLong(origin, l, options.maxLineBytes()));
                    } else if (l.notUtf8()) {
                        processor.reject(notUtf8(origin, l));
                    } else {
                        processor.add(CallLogLine.parse(origin, l.number(), l.text(), options.canister()));
                    }
                }
                if (++sinceCommit >= options.linesPerTransaction()) {
                    commit(false);
                }
                if ((fileLines & 4095) == 0 && progress != null) {
                    progress.update(origin, reader.bytesRead(), size, linesRead);
                }
            }
            if (text != null) {
                addParsed(text.record(options.canister()));
            }
            bytesRead += reader.bytesRead();
            if (progress != null) {
                progress.update(origin, reader.bytesRead(), size, linesRead);
            }
        }
    }

    /** Ends every canister's open message, publishes the rest and returns the counts. */
    public CallLogStats finish() {
        commit(true);
        return processor.stats();
    }

    private void commit(boolean end) {
        CallLogProcessor.Chunk chunk = processor.drain(end);
        sink.publish(chunk);
        sinceCommit = 0;
        if (!chunk.isEmpty()) {
            transactions++;
        }
        for (Rejection r : chunk.rejections()) {
            if (rejectedSample.size() < SAMPLE) {
                rejectedSample.add(r);
            }
        }
        for (CallLogProcessor.Warning w : chunk.warnings()) {
            warnings++;
            if (warningSample.size() < SAMPLE) {
                warningSample.add(w);
            }
        }
    }

    /** Physical lines read, continuation lines of text records included. */
    public long linesRead() {
        return linesRead;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long transactions() {
        return transactions;
    }

    /** The first rejected lines (up to 20), in the order they were released. */
    public List<Rejection> rejectedSample() {
        return List.copyOf(rejectedSample);
    }

    public long warnings() {
        return warnings;
    }

    /** The first warnings (up to 20). */
    public List<CallLogProcessor.Warning> warningSample() {
        return List.copyOf(warningSample);
    }

    // text records: [idx. time]: content, continuation lines appended

    private TextRecord textLine(String origin, LineReader.Line l, TextRecord open) {
        if (l.tooLong()) {
            processor.reject(tooLong(origin, l, options.maxLineBytes()));
            return open;
        }
        if (l.notUtf8()) {
            processor.reject(notUtf8(origin, l));
            return open;
        }
        Matcher m = TEXT_RECORD.matcher(l.text());
        if (m.matches()) {
            if (open != null) {
                addParsed(open.record(options.canister()));
            }
            return new TextRecord(origin, l.number(), m.group(1), m.group(2), m.group(3), l.text());
        }
        if (open == null) {
            if (!l.blank()) {
                processor.reject(new Rejection(origin, l.number(), null, null, RejectReason.MALFORMED,
                        "not a '[idx. time]: content' record and no record before it to continue", l.text()));
            }
            return null;
        }
        open.continueWith(l.text());
        return open;
    }

    private final class TextRecord {
        final String origin;
        final long line;
        final String idx;
        final String time;
        final StringBuilder content;
        final StringBuilder raw;
        boolean overLimit;

        TextRecord(String origin, long line, String idx, String time, String content, String raw) {
            this.origin = origin;
            this.line = line;
            this.idx = idx;
            this.time = time;
            this.content = new StringBuilder(content);
            this.raw = new StringBuilder(raw);
        }

        void continueWith(String text) {
            if (overLimit || raw.length() + text.length() + 1 > options.maxLineBytes()) {
                overLimit = true; // rejected when it ends, with what it held up to the limit
                return;
            }
            content.append('\n').append(text);
            raw.append('\n').append(text);
        }

        Object record(String canister) {
            String c = content.toString().replaceAll("\\n+$", "");
            String r = raw.toString().replaceAll("\\n+$", "");
            if (overLimit) {
                return rejection(canister, null, RejectReason.LINE_TOO_LONG, "record with its continuation lines is "
                        + "longer than the limit of " + options.maxLineBytes() + " bytes (what fits is quarantined)", r);
            }
            long i;
            try {
                i = Long.parseLong(idx);
            } catch (NumberFormatException e) {
                return rejection(canister, null, RejectReason.BAD_FIELD, "idx " + idx + " is not below 2^63", r);
            }
            long ts;
            try {
                OffsetDateTime t = OffsetDateTime.parse(time.trim().replace(' ', 'T'));
                ts = t.toEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (DateTimeParseException | ArithmeticException e) {
                return rejection(canister, i, RejectReason.BAD_FIELD, "time '" + time + "' is not an RFC 3339 time", r);
            }
            if (ts <= 0) {
                return rejection(canister, i, RejectReason.BAD_FIELD, "time '" + time + "' is before 1970", r);
            }
            return new CallLogRecord(origin, line, canister, i, ts, c, r);
        }

        private Rejection rejection(String canister, Long i, RejectReason reason, String detail, String r) {
            return new Rejection(origin, line, canister, i, reason, detail, r);
        }
    }

    private void addParsed(Object o) {
        if (o instanceof CallLogRecord r) {
            processor.add(r);
        } else {
            processor.reject((Rejection) o);
        }
    }

    static Rejection tooLong(String origin, LineReader.Line l, int limit) {
        return new Rejection(origin, l.number(), null, null, RejectReason.LINE_TOO_LONG, "line of " + l.bytes()
                + " bytes is longer than the limit of " + limit + " bytes (its first " + limit
                + " bytes are quarantined)", l.prefix());
    }

    static Rejection notUtf8(String origin, LineReader.Line l) {
        return new Rejection(origin, l.number(), null, null, RejectReason.MALFORMED, "not valid UTF-8", l.prefix());
    }
}
