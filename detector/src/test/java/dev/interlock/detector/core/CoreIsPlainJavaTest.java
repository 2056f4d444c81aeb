package dev.interlock.detector.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The detector core and the cross-canister detectors (graph, ledger) run in Kafka Streams, offline
 * scans and JMH alike: no framework imports.
 */
class CoreIsPlainJavaTest {
    private static final List<String> FORBIDDEN = List.of("import org.apache.kafka", "import io.quarkus",
            "import jakarta.", "import org.hibernate", "import io.micrometer", "import io.smallrye");

    @Test
    void detectorCoreSourcesImportNoFrameworkTypes() throws IOException {
        assertPlainJava(Path.of("src/main/java/dev/interlock/detector/core"));
    }

    @Test
    void crossCanisterDetectorSourcesImportNoFrameworkTypes() throws IOException {
        assertPlainJava(Path.of("src/main/java/dev/interlock/detector/graph"));
        assertPlainJava(Path.of("src/main/java/dev/interlock/detector/ledger"));
    }

    private static void assertPlainJava(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                String text = Files.readString(source);
                for (String forbidden : FORBIDDEN) {
                    assertThat(text).as("%s must not contain '%s'", source.getFileName(), forbidden)
                            .doesNotContain(forbidden);
                }
            }
        }
    }
}
