package dev.interlock.detector.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Transfer;

class ReconcilerTest {
    private static final long MINUTE = 60_000_000_000L;
    private final Reconciler reconciler = new Reconciler(5 * MINUTE);

    private void notifyMint(String ctx, String call, long amount, String memo) {
        reconciler.accept(CallEvent.other("e-w-" + ctx, "bridge", 0, 1, CallEventKind.STATE_WRITE, ctx, null,
                "balance:u", "0"));
        reconciler.accept(new CallEvent("e-" + call, "bridge", 1, 1_000, CallEventKind.CALL, ctx, null, null, call,
                "minter", "mint", new Transfer("user", BigInteger.valueOf(amount), memo, null), null, false, null, "n"));
    }

    private static LedgerBlock mint(long amount, String memo) {
        return new LedgerBlock("ledger", 7, "h", null, 2_000, "mint", null, "user", BigInteger.valueOf(amount), null,
                memo, null);
    }

    @Test
    void aNotifyWhoseTransferNeverAppearsIsFlaggedOnceTheWindowPassed() {
        notifyMint("c1", "k1", 500, "ab");
        assertThat(reconciler.tick(1_000 + 4 * MINUTE)).isEmpty();

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).singleElement().satisfies(a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.LEDGER_RECONCILIATION);
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.amountAtStake()).isEqualTo(BigInteger.valueOf(500));
        });
    }

    private static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";

    /** A notify naming its expected transfer, not its ledger. */
    private void notifyThroughIcp(String call, String to, long amount) {
        reconciler.accept(CallEvent.other("e-w-" + call, "bridge", 0, 1, CallEventKind.STATE_WRITE, "c1", null,
                "balance:u", "0"));
        reconciler.accept(new CallEvent("e-" + call, "bridge", 1, 1_000, CallEventKind.CALL, "c1", null, null, call,
                "minter", "mint", new Transfer(to, BigInteger.valueOf(amount), null, null),
                null, false, null, "n"));
    }

    private static LedgerBlock icpBlockTo(String identifier, long amount) {
        return new LedgerBlock(PaymentTracker.ICP_LEDGER, 7, "h", null, 2_000, "xfer",
                "a".repeat(64), identifier, BigInteger.valueOf(amount), null, null, null);
    }

    @Test
    void aNotifyIsSettledByAnIcpBlockNamingItsRecipientsAccountIdentifier() {
        notifyThroughIcp("k1", BOB, 500);
        reconciler.block(icpBlockTo(AccountIdentifier.hex(Account.of(Principal.fromText(BOB))).toUpperCase(), 500));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }

    @Test
    void anIcpBlockToAnotherAccountIdentifierDoesNotSettleANotify() {
        notifyThroughIcp("k1", BOB, 500);
        reconciler.block(icpBlockTo("b".repeat(64), 500));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).singleElement().satisfies(a -> {
            assertThat(a.explanation()).as("the recipient as the trace printed it").contains("transfer of 500 to " + BOB);
            assertThat(a.callers()).containsExactly(BOB);
        });
    }

    @Test
    void theExpectedBlockSettlesIt() {
        notifyMint("c1", "k1", 500, "ab");
        reconciler.block(mint(500, "ab"));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }

    @Test
    void aBlockWithAnotherMemoIsNotTheExpectedOne() {
        notifyMint("c1", "k1", 500, "ab");
        reconciler.block(mint(500, "cd"));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).hasSize(1);
    }

    @Test
    void aJournalCompletedByTheCanistersReconciliationSettlesIt() {
        reconciler.accept(CallEvent.other("e-ji", "bridge", 0, 1, CallEventKind.JOURNAL_INTENT, "c1", null, "req-1",
                "mint"));
        notifyMint("c1", "k1", 500, "ab");
        reconciler.accept(CallEvent.other("e-jr", "bridge", 9, 3_000, CallEventKind.JOURNAL_RESULT, "c7", null,
                "req-1", "false"));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }

    @Test
    void aBlockSeenBeforeTheNotifySettlesIt() {
        reconciler.block(mint(500, "ab"));
        notifyMint("c1", "k1", 500, "ab");

        assertThat(reconciler.undecided()).isZero();
        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }

    @Test
    void aNotifyWithoutMemoIsSettledByABlockOfItsAmountWhateverTheMemo() {
        reconciler.accept(CallEvent.other("e-w", "bridge", 0, 1, CallEventKind.STATE_WRITE, "c1", null, "k", "0"));
        reconciler.accept(new CallEvent("e-k1", "bridge", 1, 1_000, CallEventKind.CALL, "c1", null, null, "k1",
                "minter", "mint", new Transfer("user", BigInteger.valueOf(500), null, null), null, false, null, "n"));
        reconciler.block(mint(500, "ff"));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }

    @Test
    void aCanisterWithoutEvidenceIsNotFlaggedUntilItPrintsSome() {
        reconciler.accept(new CallEvent("e-k1", "quiet", 0, 1_000, CallEventKind.CALL, "c1", null, null, "k1",
                "minter", "mint", new Transfer("user", BigInteger.valueOf(500), null, null), null, false, null, "n"));
        reconciler.accept(new CallEvent("e-k2", "late", 0, 1_000, CallEventKind.CALL, "c1", null, null, "k2",
                "minter", "mint", new Transfer("user", BigInteger.valueOf(600), null, null), null, false, null, "n"));
        reconciler.accept(CallEvent.other("e-g", "late", 1, 2_000, CallEventKind.GUARD_ACQUIRE, "c2", null, "lock",
                "true"));

        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).extracting(a -> a.canister()).containsExactly("late");
    }

    @Test
    void aRolledBackNotifyWasNeverSent() {
        reconciler.accept(CallEvent.other("e-w", "bridge", 0, 1, CallEventKind.STATE_WRITE, "c1", null, "k", "0"));
        reconciler.accept(new CallEvent("e-k1", "bridge", 1, 1_000, CallEventKind.CALL, "c1", null, null, "k1",
                "minter", "mint", new Transfer("user", BigInteger.valueOf(500), "ab", null), null, true, null, "n"));

        assertThat(reconciler.undecided()).isZero();
        assertThat(reconciler.tick(1_000 + 6 * MINUTE)).isEmpty();
    }
}
