package dev.interlock.ingest.source.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.CallEvent;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;

class DemoSourceTest {
    private static final long BASE = 1_750_000_000_000_000_000L;

    @Test
    void playsTheWholeIncidentOneRecordPerPollAndThenIsExhausted() {
        DemoSource source = new DemoSource(Duration.ofMillis(1), BASE);
        List<IngestRecord> played = new ArrayList<>();
        String cursor = null;
        while (!source.exhausted(cursor)) {
            SourceBatch batch = source.poll(cursor);
            assertThat(batch.records()).hasSize(1);
            played.addAll(batch.records());
            cursor = batch.cursor();
        }
        assertThat(played).containsExactlyElementsOf(DemoScenario.doubleSpend(BASE));
        assertThat(played.stream().filter(r -> r.topic().equals(Topics.LEDGER_BLOCKS))).hasSize(2);
        assertThat(played.stream().filter(r -> r instanceof CallEvent).map(IngestRecord::key).distinct())
                .containsExactly(DemoScenario.CANISTER);
        assertThat(cursor).isEqualTo("10@" + BASE);
    }

    @Test
    void aRestartedSourceResumesTheSameIncidentFromItsCursor() {
        DemoSource first = new DemoSource(Duration.ofMillis(1), BASE);
        String cursor = first.poll(first.poll(null).cursor()).cursor();

        DemoSource restarted = new DemoSource(Duration.ofMillis(1), BASE + 999_999);
        IngestRecord third = restarted.poll(cursor).records().get(0);

        assertThat(third).isEqualTo(DemoScenario.doubleSpend(BASE).get(2));
    }

    @Test
    void blocksAreChainedByParentHash() {
        List<LedgerBlock> blocks = DemoScenario.doubleSpend(BASE).stream()
                .filter(LedgerBlock.class::isInstance).map(LedgerBlock.class::cast).toList();
        assertThat(blocks.get(0).parentHash()).isNull();
        assertThat(blocks.get(1).parentHash()).isEqualTo(blocks.get(0).hash()).hasSize(64);
    }

    @Test
    void aCorruptCursorIsReportedWithItsText() {
        DemoSource source = new DemoSource(Duration.ofMillis(1), BASE);
        assertThatThrownBy(() -> source.poll("garbage")).hasMessageContaining("'garbage'");
    }
}
