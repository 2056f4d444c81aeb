package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.ingest.source.demo.DemoCorpus;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.IngestRecord;
import dev.interlock.sim.SimOptions;

/** The demo's simulated incident, read as ingestion reads it, gives exactly the expected alert. */
class DemoDetectionTest {
    @Test
    void theDetectorsFindTheDemosDoubleSpendAndNothingElse() {
        DemoCorpus corpus = DemoCorpus.build(SimOptions.START_TIME_NANOS);
        DetectorEngine engine = DetectorEngine.withDefaults(Duration.ofHours(1));
        Map<String, CanisterState> states = new HashMap<>();
        List<Alert> alerts = new ArrayList<>();
        for (IngestRecord r : corpus.records()) {
            if (r instanceof CallEvent e) {
                alerts.addAll(engine.process(states.computeIfAbsent(e.canister(), CanisterState::empty), e));
            }
        }

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo(corpus.expectedDedupKey());
            assertThat(a.evidence().callIds()).containsExactlyInAnyOrderElementsOf(corpus.incident().calls());
            assertThat(a.evidence().blockIndexes()).containsExactlyInAnyOrderElementsOf(corpus.incident().blocks());
            assertThat(a.amountAtStake()).isEqualTo(corpus.incident().amountAtStake());
            assertThat(a.callers()).containsExactly(corpus.incident().caller());
        });
        System.out.println("demo: " + corpus.records().size() + " records, alert " + alerts.get(0).dedupKey());
    }
}
