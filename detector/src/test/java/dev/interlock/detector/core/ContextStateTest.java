package dev.interlock.detector.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Json;

class ContextStateTest {
    private static final String C = "rrkah-fqaaa-aaaaa-aaaaq-cai";

    @Test
    void eventIdsOfTheCanisterSeqFormAreKeptAsNumbersAndGivenBackAsTheSameText() {
        ContextState ctx = new ContextState();
        for (long seq = 7; seq < 13; seq++) {
            ctx.recordEvent(C, C + "/" + seq, seq);
        }
        ctx.recordEvent(C, "push-batch-3/line-2", -1);

        assertThat(ctx.eventSeqCount).isEqualTo(6);
        assertThat(ctx.eventIds).containsExactly("push-batch-3/line-2");
        assertThat(ctx.eventIds(C)).containsExactly(C + "/7", C + "/8", C + "/9", C + "/10", C + "/11", C + "/12",
                "push-batch-3/line-2");
        ContextState back = Json.decode(Json.encode(ctx), ContextState.class);
        assertThat(back.eventIds(C)).isEqualTo(ctx.eventIds(C));
    }

    @Test
    void idsThatOnlyLookLikeTheSeqFormAreKeptAsText() {
        assertThat(ContextState.isSeqId(C, C + "/12", 12)).isTrue();
        assertThat(ContextState.isSeqId(C, C + "/012", 12)).as("leading zero").isFalse();
        assertThat(ContextState.isSeqId(C, C + "/12", 13)).as("another seq").isFalse();
        assertThat(ContextState.isSeqId(C, "other/12", 12)).as("another canister").isFalse();
        assertThat(ContextState.isSeqId(C, C + "/1x", 1)).isFalse();
        assertThat(ContextState.isSeqId(C, C + "/99999999999999999999", 1)).as("overflow").isFalse();
    }

    @Test
    void atMostThirtyTwoEventsAreCited() {
        ContextState ctx = new ContextState();
        for (long seq = 0; seq < 40; seq++) {
            ctx.recordEvent(C, C + "/" + seq, seq);
        }
        assertThat(ctx.eventIds(C)).hasSize(ContextState.MAX_EVENT_IDS).endsWith(C + "/31");
    }
}
