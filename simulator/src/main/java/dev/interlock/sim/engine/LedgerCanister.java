package dev.interlock.sim.engine;

import dev.interlock.ic.Principal;
import dev.interlock.sim.ledger.ApproveArgs;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;

/** The ICRC ledger as a canister: each request is one atomic message that replies at once. */
public final class LedgerCanister extends Canister {
    private final IcrcLedger ledger;

    public LedgerCanister(IcrcLedger ledger) {
        super(ledger.id(), "ledger", false, Language.RUST, CanisterLog.DEFAULT_LIMIT);
        this.ledger = ledger;
        maxMessagesPerRound(1000);
        queueCapacity(10_000);
    }

    public IcrcLedger ledger() {
        return ledger;
    }

    @Override
    boolean native_() {
        return true;
    }

    @Override
    Object executeNative(Principal caller, String method, Object args, long now) {
        if (args instanceof ApproveArgs approve && method.equals("icrc2_approve")) {
            if (!approve.from().owner().equals(caller)) {
                throw new IllegalArgumentException("icrc2_approve: from must be an account of the caller");
            }
            return ledger.approve(caller, approve.asTransferArgs(), approve.expectedAllowance(), approve.expiresAt(), now);
        }
        if (!(args instanceof TransferArgs a)) {
            throw new IllegalArgumentException("the ledger cannot decode the arguments of " + method);
        }
        if (method.equals("icrc1_transfer") && !a.from().owner().equals(caller)) {
            throw new IllegalArgumentException("icrc1_transfer: from must be an account of the caller");
        }
        return switch (method) {
            case "icrc1_transfer" -> ledger.transfer(caller, a, now);
            case "icrc2_transfer_from" -> ledger.transferFrom(caller, a, now);
            case "icrc1_balance_of" -> ledger.balance(a.from());
            default -> throw new IllegalArgumentException("the ledger has no method " + method);
        };
    }
}
