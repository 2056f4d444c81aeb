package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.List;

import dev.interlock.model.AlertClass;

/**
 * Ground truth: one incident that really happened in a run (an invariant the scenario states
 * was broken), with the ids a detector's alert should name.
 */
public record Incident(
        AlertClass alertClass,
        String scenario,
        String variant,
        String canister,
        String caller,
        List<String> contexts,
        List<String> calls,
        List<Long> blocks,
        String ledger,
        BigInteger amountAtStake,
        long atNanos,
        String detail) {
}
