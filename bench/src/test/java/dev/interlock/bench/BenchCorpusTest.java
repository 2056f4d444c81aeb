package dev.interlock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;

/**
 * The long corpus of {@code ServiceBench}: laps of one simulated corpus must read as the same canisters running on,
 * not as the same events again (which the detector would drop as duplicates) nor as a new kind of traffic.
 */
class BenchCorpusTest {
    private static final int LAPS = 3;

    private static List<List<CallEvent>> laps() {
        BenchCorpus.Encoded corpus = BenchCorpus.encodedLaps(5, Duration.ofMinutes(3), 20, 3, LAPS);
        assertThat(corpus.size() % LAPS).isZero();
        int perLap = corpus.size() / LAPS;
        List<List<CallEvent>> laps = new ArrayList<>();
        for (int lap = 0; lap < LAPS; lap++) {
            List<CallEvent> events = new ArrayList<>();
            for (int i = lap * perLap; i < (lap + 1) * perLap; i++) {
                CallEvent e = Json.decode(corpus.values()[i], CallEvent.class);
                assertThat(corpus.keys()[i]).isEqualTo(e.canister());
                events.add(e);
            }
            laps.add(events);
        }
        return laps;
    }

    @Test
    void withBlocksEachLapCarriesTheLedgersBlocksInIndexOrderAmongItsEventsByTime() {
        BenchCorpus.Encoded corpus = BenchCorpus.encodedLaps(5, Duration.ofMinutes(3), 20, 3, 2, true);
        List<dev.interlock.model.LedgerBlock> blocks = new ArrayList<>();
        long lastEventTime = Long.MIN_VALUE;
        for (int i = 0; i < corpus.size(); i++) {
            if (corpus.blocks()[i]) {
                dev.interlock.model.LedgerBlock b = Json.decode(corpus.values()[i], dev.interlock.model.LedgerBlock.class);
                assertThat(corpus.keys()[i]).isEqualTo(b.ledger());
                assertThat(b.timestampNanos()).as("block %d after the event before it", b.index())
                        .isGreaterThanOrEqualTo(lastEventTime);
                blocks.add(b);
            } else {
                lastEventTime = Math.max(lastEventTime, Json.decode(corpus.values()[i], CallEvent.class).timeNanos());
            }
        }
        assertThat(blocks).hasSize((int) corpus.blockCount()).hasSizeGreaterThan(10);
        for (int k = 0; k < blocks.size(); k++) {
            assertThat(blocks.get(k).index()).as("indexes go on across laps").isEqualTo(k);
        }
        assertThat(blocks.get(blocks.size() / 2).timestampNanos() - blocks.get(0).timestampNanos())
                .as("the second lap is later").isGreaterThanOrEqualTo(Duration.ofMinutes(3).plus(BenchCorpus.LAP_GAP).toNanos());
    }

    @Test
    void eachCanisterSeesNewEventsInLogOrderAcrossLaps() {
        Map<String, Long> lastSeq = new HashMap<>();
        Map<String, Long> lastTime = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> contextsOfFirstLap = new HashSet<>();
        List<List<CallEvent>> laps = laps();
        for (int lap = 0; lap < LAPS; lap++) {
            for (CallEvent e : laps.get(lap)) {
                assertThat(ids.add(e.id())).as("event id %s repeats", e.id()).isTrue();
                Long seq = lastSeq.put(e.canister(), e.seq());
                assertThat(seq == null || seq < e.seq()).as("seq of %s after %s", e.id(), seq).isTrue();
                Long time = lastTime.put(e.canister(), e.timeNanos());
                assertThat(time == null || time <= e.timeNanos()).as("time of %s", e.id()).isTrue();
                if (lap == 0) {
                    contextsOfFirstLap.add(e.canister() + "/" + e.context());
                } else {
                    assertThat(contextsOfFirstLap).doesNotContain(e.canister() + "/" + e.context());
                }
            }
        }
    }

    @Test
    void everyLapAfterTheFirstRaisesTheSameAlertsAsTheOneBefore() {
        DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults());
        Map<String, CanisterState> states = new HashMap<>();
        List<Map<String, Integer>> alertsByLap = new ArrayList<>();
        for (List<CallEvent> lap : laps()) {
            Map<String, Integer> alerts = new TreeMap<>();
            for (CallEvent e : lap) {
                for (Alert a : engine.process(states.computeIfAbsent(e.canister(), CanisterState::empty), e)) {
                    alerts.merge(a.alertClass().name(), 1, Integer::sum);
                }
            }
            alertsByLap.add(alerts);
        }
        // the first lap's incidents are found again in each lap (renamed ids do not hide them) ...
        assertThat(alertsByLap.get(0)).containsKeys("DOUBLE_SPEND", "REENTRANCY", "UNHANDLED_REJECT");
        // ... and laps two and three are alike: what the second adds over the first is the first's calls left
        // waiting, reported stalled once time moves on, not a cross-lap mix-up
        assertThat(alertsByLap.get(2)).isEqualTo(alertsByLap.get(1));
        alertsByLap.get(0).forEach((cls, n) -> {
            if (!cls.equals("STALLED_CALL") && !cls.equals("CALLBACK_TRAP")) {
                assertThat(alertsByLap.get(1).get(cls)).as(cls).isEqualTo(n);
            }
        });
    }
}
