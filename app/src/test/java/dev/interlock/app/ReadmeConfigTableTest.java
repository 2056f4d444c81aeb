package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's configuration table lists exactly the declared keys, with their real defaults. */
class ReadmeConfigTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-<>]+)` \\| `([A-Z0-9_<>]+)` \\| ([^|]*) \\|");

    @Test
    void readmeTableMatchesTheDeclaredKeysAndDefaults() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(RepoFiles.root().resolve("README.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                String def = m.group(3).trim();
                documented.put(m.group(1), def.equals("–") ? "" : def.replace("`", ""));
                assertThat(m.group(2)).as("environment form of %s", m.group(1))
                        .isEqualTo(StartupConfig.envName(m.group(1).replace("<name>", "0PLACEHOLDER0")).replace("0PLACEHOLDER0", "<NAME>"));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(ConfigKeys.all());
    }
}
