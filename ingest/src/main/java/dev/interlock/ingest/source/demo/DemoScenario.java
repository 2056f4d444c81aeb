package dev.interlock.ingest.source.demo;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Transfer;

/**
 * The walking skeleton's incident: a refund canister whose {@code withdraw} checks eligibility,
 * awaits an {@code icrc1_transfer} and only then records the payment. The same caller calls it
 * twice; both calls pass the check before either callback runs, and the ledger pays twice.
 * Ids are fixed, so replaying the scenario re-creates the same incident (same dedup key).
 *
 * <p>A stand-in until the IC execution simulator generates such traces; block hashes here are
 * SHA-256 over a readable rendering of the block, not the ICRC-3 representation-independent hash.
 */
public final class DemoScenario {
    public static final String CANISTER = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    public static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    public static final String CALLER = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    public static final String CONTEXT_1 = "demo-ctx-1";
    public static final String CONTEXT_2 = "demo-ctx-2";
    public static final String CALL_1 = "demo-call-1";
    public static final String CALL_2 = "demo-call-2";
    public static final BigInteger AMOUNT = BigInteger.valueOf(50_000);

    private DemoScenario() {
    }

    /** The incident's records in the order a real deployment would ingest them. */
    public static List<IngestRecord> doubleSpend(long baseTimeNanos) {
        List<IngestRecord> r = new ArrayList<>();
        long ms = 1_000_000L;
        r.add(CallEvent.open("demo-1", CANISTER, 0, baseTimeNanos, CONTEXT_1, CALLER, "withdraw"));
        r.add(CallEvent.open("demo-2", CANISTER, 1, baseTimeNanos + 2 * ms, CONTEXT_2, CALLER, "withdraw"));
        r.add(CallEvent.call("demo-3", CANISTER, 2, baseTimeNanos + 3 * ms, CONTEXT_1, CALL_1, LEDGER, "icrc1_transfer",
                new Transfer(CALLER, AMOUNT, null, baseTimeNanos + 3 * ms)));
        r.add(CallEvent.call("demo-4", CANISTER, 3, baseTimeNanos + 4 * ms, CONTEXT_2, CALL_2, LEDGER, "icrc1_transfer",
                new Transfer(CALLER, AMOUNT, null, baseTimeNanos + 4 * ms)));
        LedgerBlock b0 = block(0, null, baseTimeNanos + 1_000 * ms);
        LedgerBlock b1 = block(1, b0.hash(), baseTimeNanos + 1_001 * ms);
        r.add(b0);
        r.add(b1);
        r.add(CallEvent.callback("demo-5", CANISTER, 4, baseTimeNanos + 2_000 * ms, CONTEXT_1, CALL_1,
                CallOutcome.reply(0L)));
        r.add(CallEvent.close("demo-6", CANISTER, 5, baseTimeNanos + 2_000 * ms, CONTEXT_1));
        r.add(CallEvent.callback("demo-7", CANISTER, 6, baseTimeNanos + 2_001 * ms, CONTEXT_2, CALL_2,
                CallOutcome.reply(1L)));
        r.add(CallEvent.close("demo-8", CANISTER, 7, baseTimeNanos + 2_001 * ms, CONTEXT_2));
        return r;
    }

    private static LedgerBlock block(long index, String parentHash, long ts) {
        String from = CANISTER;
        String rendering = LEDGER + "|" + index + "|" + parentHash + "|" + ts + "|xfer|" + from + "|" + CALLER + "|"
                + AMOUNT;
        return new LedgerBlock(LEDGER, index, sha256(rendering), parentHash, ts, "xfer", from, CALLER, AMOUNT,
                BigInteger.TEN, null, null);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
