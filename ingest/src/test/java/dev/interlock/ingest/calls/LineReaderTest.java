package dev.interlock.ingest.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<LineReader.Line> read(byte[] input, int maxLine, long maxTotal) throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(input), maxLine, maxTotal);
        List<LineReader.Line> out = new ArrayList<>();
        LineReader.Line l;
        while ((l = r.next()) != null) {
            out.add(l);
        }
        return out;
    }

    @Test
    void linesEndAtLfOrCrLfAndTheLastLineNeedsNoNewline() throws IOException {
        List<LineReader.Line> lines = read("a\r\nbé\n\nlast".getBytes(StandardCharsets.UTF_8), 10, -1);

        assertThat(lines).extracting(LineReader.Line::text).containsExactly("a", "bé", "", "last");
        assertThat(lines).extracting(LineReader.Line::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lines.get(2).blank()).isTrue();
    }

    @Test
    void aLineOverTheLimitIsMarkedWithItsLengthAndPrefixAndTheNextLineIsReadNormally() throws IOException {
        String longLine = "x".repeat(100_000);
        List<LineReader.Line> lines = read((longLine + "\r\nok\n").getBytes(StandardCharsets.UTF_8), 8, -1);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).tooLong()).isTrue();
        assertThat(lines.get(0).bytes()).isEqualTo(100_000);
        assertThat(lines.get(0).prefix()).isEqualTo("xxxxxxxx");
        assertThat(lines.get(1).text()).isEqualTo("ok");
        // exactly at the limit, with a CR before the LF, is fine
        assertThat(read("12345678\r\n".getBytes(StandardCharsets.UTF_8), 8, -1).get(0).text()).isEqualTo("12345678");
    }

    @Test
    void invalidUtf8IsMarkedAndTheTotalLimitThrows() throws IOException {
        List<LineReader.Line> lines = read(new byte[] {'a', (byte) 0xC3, '\n', 'b'}, 8, -1);
        assertThat(lines.get(0).notUtf8()).isTrue();
        assertThat(lines.get(1).text()).isEqualTo("b");

        assertThatThrownBy(() -> read(new byte[2_000], 10_000, 1_000)).isInstanceOf(LineReader.TooLargeException.class)
                .hasMessage("input longer than 1000 bytes");
    }
}
