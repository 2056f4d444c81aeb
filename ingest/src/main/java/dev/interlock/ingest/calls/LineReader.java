package dev.interlock.ingest.calls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 lines from a stream with a line-length limit and an optional total limit, never holding more
 * than one line (at most the limit) in memory. A line over the limit is returned marked, with its first
 * {@code maxLineBytes} bytes, and reading goes on after it; a stream over the total limit throws
 * {@link TooLargeException}. Line ends are {@code \n} or {@code \r\n}.
 */
public final class LineReader {
    /** One line: its 1-based number, text (null when not UTF-8), and whether it was over the limit. */
    public record Line(long number, String text, long bytes, boolean tooLong, boolean notUtf8, String prefix) {
        public boolean blank() {
            return text != null && !tooLong && text.isBlank();
        }
    }

    /** The stream is longer than the total limit. */
    public static final class TooLargeException extends IOException {
        private final long limit;

        TooLargeException(long limit) {
            super("input longer than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final long maxTotalBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[1024];
    private int lineLen;
    private long total;
    private long number;
    private boolean eof;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** @param maxTotalBytes total limit, or -1 for none */
    public LineReader(InputStream in, int maxLineBytes, long maxTotalBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return total;
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        if (eof) {
            return null;
        }
        lineLen = 0;
        long length = 0;
        int last = -1;
        while (true) {
            if (pos == end) {
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    if (length == 0) {
                        return null;
                    }
                    return finish(length, last);
                }
                total += n;
                if (maxTotalBytes >= 0 && total > maxTotalBytes) {
                    throw new TooLargeException(maxTotalBytes);
                }
                pos = 0;
                end = n;
            }
            int start = pos;
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            append(buf, start, stop - start);
            length += stop - start;
            if (stop > start) {
                last = buf[stop - 1];
            }
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                return finish(length, last);
            }
        }
    }

    private void append(byte[] b, int off, int len) {
        int room = maxLineBytes + 1 - lineLen; // one byte more than the limit: a trailing \r may follow
        int take = Math.min(room, len);
        if (take <= 0) {
            return;
        }
        if (lineLen + take > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLen + take, Math.min(line.length * 2, maxLineBytes + 1)));
        }
        System.arraycopy(b, off, line, lineLen, take);
        lineLen += take;
    }

    private Line finish(long length, int last) {
        number++;
        int len = lineLen;
        if (last == '\r') {
            length--;
            len = (int) Math.min(len, length);
        }
        if (length > maxLineBytes) {
            String prefix = new String(line, 0, Math.min(len, maxLineBytes), StandardCharsets.UTF_8);
            return new Line(number, null, length, true, false, prefix);
        }
        try {
            String text = decoder.decode(ByteBuffer.wrap(line, 0, len)).toString();
            return new Line(number, text, length, false, false, null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, length, false, true, new String(line, 0, len, StandardCharsets.UTF_8));
        }
    }
}
