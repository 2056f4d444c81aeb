package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Sim;

/** What really reached the ledger from a canister: the helpers scenarios check invariants with. */
final class Evidence {
    private Evidence() {
    }

    /** Transfers the ledger executed (whatever the caller learned) from {@code canister} to {@code to}. */
    static List<CallRecord> paid(Sim sim, Principal canister, Account to) {
        List<CallRecord> out = new ArrayList<>();
        for (CallRecord r : sim.callsOf(canister)) {
            if (r.block != null && r.transfer != null && r.transfer.to().equals(to)) {
                out.add(r);
            }
        }
        return out;
    }

    static BigInteger total(List<CallRecord> paid) {
        BigInteger sum = BigInteger.ZERO;
        for (CallRecord r : paid) {
            sum = sum.add(r.transfer.amount());
        }
        return sum;
    }

    static List<String> contexts(List<CallRecord> calls) {
        return calls.stream().map(c -> c.context).distinct().toList();
    }

    static List<String> callIds(List<CallRecord> calls) {
        return calls.stream().map(c -> c.callId).toList();
    }

    static List<Long> blocks(List<CallRecord> calls) {
        return calls.stream().map(c -> c.block).filter(java.util.Objects::nonNull).toList();
    }

    static BigInteger nat(Object v) {
        return v == null ? BigInteger.ZERO : (BigInteger) v;
    }
}
