package dev.interlock.ingest.source.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LedgerBlock;

class DemoSourceTest {
    private static final long BASE = 1_750_000_000_000_000_000L;

    @Test
    void playsTheWholeSimulatedIncidentOneRecordPerPollAndThenIsExhausted() {
        DemoSource source = new DemoSource(Duration.ofMillis(1), BASE);
        List<IngestRecord> played = new ArrayList<>();
        String cursor = null;
        while (!source.exhausted(cursor)) {
            SourceBatch batch = source.poll(cursor);
            assertThat(batch.records()).hasSize(1);
            played.addAll(batch.records());
            cursor = batch.cursor();
        }
        DemoCorpus corpus = DemoCorpus.build(BASE);
        assertThat(played).containsExactlyElementsOf(corpus.records());
        assertThat(cursor).isEqualTo(corpus.records().size() + "@" + BASE);
    }

    @Test
    void theDemoHoldsOneDoubleSpendOfTwoPayoutsWhoseCallsAndBlocksAreInItsRecords() {
        DemoCorpus corpus = DemoCorpus.build(BASE);
        assertThat(corpus.incident().scenario()).isEqualTo("refund");
        assertThat(corpus.incident().blocks()).hasSize(2);
        List<CallEvent> events = corpus.records().stream().filter(CallEvent.class::isInstance)
                .map(CallEvent.class::cast).toList();
        List<String> callbackCalls = events.stream().filter(e -> e.kind() == CallEventKind.CALLBACK
                && e.canister().equals(corpus.incident().canister())).map(CallEvent::call).toList();
        assertThat(callbackCalls).containsAll(corpus.incident().calls());
        List<Long> blocks = corpus.records().stream().filter(LedgerBlock.class::isInstance)
                .map(r -> ((LedgerBlock) r).index()).toList();
        assertThat(blocks).containsAll(corpus.incident().blocks());
        assertThat(corpus.expectedDedupKey()).startsWith("DOUBLE_SPEND/" + corpus.incident().canister() + "/");
    }

    @Test
    void eachCanistersEventsKeepTheirLogOrderAndTheLedgersBlocksTheirIndexOrder() {
        DemoCorpus corpus = DemoCorpus.build(BASE);
        List<Long> blockOrder = corpus.records().stream().filter(LedgerBlock.class::isInstance)
                .map(r -> ((LedgerBlock) r).index()).toList();
        assertThat(blockOrder).isSorted();
        corpus.records().stream().filter(CallEvent.class::isInstance).map(CallEvent.class::cast)
                .collect(java.util.stream.Collectors.groupingBy(CallEvent::canister))
                .forEach((canister, evs) -> assertThat(evs).extracting(CallEvent::seq).isSorted());
        assertThat(corpus.records().stream().filter(CallEvent.class::isInstance).map(CallEvent.class::cast))
                .allSatisfy(e -> assertThat(e.problems()).isEmpty());
    }

    @Test
    void aRestartedSourceResumesTheSameIncidentFromItsCursor() {
        DemoSource first = new DemoSource(Duration.ofMillis(1), BASE);
        String cursor = first.poll(first.poll(null).cursor()).cursor();

        DemoSource restarted = new DemoSource(Duration.ofMillis(1), BASE + 999_999);
        IngestRecord third = restarted.poll(cursor).records().get(0);

        assertThat(third).isEqualTo(DemoCorpus.build(BASE).records().get(2));
    }

    @Test
    void aCorruptCursorIsReportedWithItsText() {
        DemoSource source = new DemoSource(Duration.ofMillis(1), BASE);
        assertThatThrownBy(() -> source.poll("garbage")).hasMessageContaining("'garbage'");
    }
}
