package dev.interlock.model.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/trace-format.md and the code agree: every example parses, every event is documented. */
class TraceFormatDocTest {
    private static final Pattern EXAMPLE = Pattern.compile("(ILK1 \\{\"e\":[^`\\n]*\\})");

    private static String doc() throws IOException {
        return Files.readString(Path.of("..", "docs", "trace-format.md"));
    }

    @Test
    void everyExampleLineInTheDocumentParsesAsAKnownEvent() throws IOException {
        List<String> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(doc());
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).hasSizeGreaterThan(20);
        for (String line : examples) {
            assertThat(TraceFormat.parse(line).known()).as(line).isTrue();
        }
    }

    @Test
    void everyEventCodeIsDocumentedInTheEventTables() throws IOException {
        String doc = doc();
        for (TraceEvent e : TraceEvent.values()) {
            assertThat(doc).as("event %s", e).contains("| `" + e.code() + "` |");
        }
    }
}
