package dev.interlock.detector.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.ContextState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Severity;
import dev.interlock.model.Transfer;

/**
 * The payment rules of LEDGER_RECONCILIATION offline, end to end through the detector engine and
 * {@link Reconciler}: a transfer replied as successful must have its block, a block out of a
 * monitored canister's account must have a call that explains it.
 */
class PaymentRulesTest {
    static final String SHOP = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    static final String OTHER_LEDGER = "ss2fx-dyaaa-aaaar-qacoq-cai";
    static final String ICP = PaymentTracker.ICP_LEDGER;
    static final String ROUTER = "r7inp-6aaaa-aaaaa-aaabq-cai";
    static final String ALICE = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    private final DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults());
    private final CanisterState state = CanisterState.empty(SHOP);
    private final Reconciler reconciler = new Reconciler(300 * SECOND);
    private final List<Alert> alerts = new ArrayList<>();
    private long seq;

    private void event(CallEvent e) {
        alerts.addAll(engine.process(state, e));
        ContextState ctx = state.context(e.context());
        reconciler.accept(e, ctx == null || e.call() == null ? null : ctx.calls.get(e.call()),
                ctx == null ? null : ctx.caller);
    }

    private long at(long seconds) {
        return T0 + seconds * SECOND;
    }

    private void open(String ctx, long t) {
        event(CallEvent.open(SHOP + "/" + seq, SHOP, seq++, at(t), ctx, ALICE, "withdraw"));
    }

    private CallEvent call(String ctx, String call, long t, String callee, String method, String wait, Transfer tx) {
        return new CallEvent(SHOP + "/" + seq, SHOP, seq++, at(t), CallEventKind.CALL, ctx, null, null, call, callee,
                method, tx, null, false, null, wait);
    }

    private void transfer(String ctx, String call, long t, String to, long amount) {
        event(call(ctx, call, t, LEDGER, "icrc1_transfer", "u", new Transfer(to, BigInteger.valueOf(amount), "6d31",
                at(t))));
    }

    private void answer(String ctx, String call, long t, CallOutcome o) {
        event(CallEvent.callback(SHOP + "/" + seq, SHOP, seq++, at(t), ctx, call, o));
    }

    private static LedgerBlock block(long index, long t, String from, String to, long amount, long createdAt) {
        return new LedgerBlock(LEDGER, index, "h" + index, null, T0 + t * SECOND, "xfer", from, to,
                BigInteger.valueOf(amount), BigInteger.TEN, "6d31", T0 + createdAt * SECOND);
    }

    private List<Alert> finish() {
        alerts.addAll(reconciler.tick(state.lastEventTime));
        return alerts.stream().filter(a -> a.alertClass() == AlertClass.LEDGER_RECONCILIATION).toList();
    }

    @Test
    void aTransferRepliedWithTheBlockThatPaysItRaisesNothing() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(block(7, 0, SHOP, BOB, 500, 0));

        assertThat(finish()).isEmpty();
        assertThat(reconciler.unverifiedReplies()).isZero();
    }

    @Test
    void aTransferRepliedAsPaidWhoseNamedBlockIsAnotherTransferIsFlagged() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(block(7, 0, SHOP, ALICE, 800, 0));
        reconciler.block(block(8, 2, ALICE, BOB, 1, 2));

        List<Alert> found = finish();
        Alert noBlock = found.stream().filter(a -> a.dedupKey().endsWith("/no-block")).findFirst().orElseThrow();
        assertThat(noBlock.canister()).isEqualTo(SHOP);
        assertThat(noBlock.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(noBlock.evidence().callIds()).containsExactly("k1");
        assertThat(noBlock.evidence().contextIds()).containsExactly("c1");
        assertThat(noBlock.evidence().blockIndexes()).containsExactly(7L);
        assertThat(noBlock.evidence().ledger()).isEqualTo(LEDGER);
        assertThat(noBlock.amountAtStake()).isEqualTo(BigInteger.valueOf(500));
        assertThat(noBlock.explanation()).contains("block 7 moved 800 from " + SHOP + "'s account to " + ALICE);
    }

    @Test
    void aReplyNamingABlockTheLedgerMadeForSomeoneElseIsFlagged() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.reply(3L));
        reconciler.block(block(3, 0, BOB, ALICE, 500, 0)); // from another payer: it never meets the shop's call
        reconciler.block(block(4, 5, BOB, ALICE, 1, 5));

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/" + SHOP + "/c1/k1/no-block");
            assertThat(a.explanation()).contains("block 3 moved 500 from " + BOB + "'s account to " + ALICE);
        });
    }

    @Test
    void aReplyOnALedgerWhoseBlocksWereNotGivenIsCountedNotJudged() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.reply(7L));

        assertThat(finish()).isEmpty();
        assertThat(reconciler.unverifiedReplies()).isEqualTo(1);
    }

    @Test
    void aReplyIsNotJudgedWhileTheGivenBlocksEndBeforeIt() {
        open("c1", 0);
        transfer("c1", "k1", 100, BOB, 500);
        answer("c1", "k1", 101, CallOutcome.reply(null));
        reconciler.block(block(1, 5, ALICE, BOB, 1, 5)); // the export ends long before the reply

        assertThat(finish()).isEmpty();
        assertThat(reconciler.unverifiedReplies()).isEqualTo(1);
    }

    @Test
    void aBlockOutOfTheCanistersAccountThatNoCallExplainsIsFlagged() {
        open("c1", 0);
        reconciler.block(block(12, 30, SHOP, BOB, 999, 30).withSpender(ROUTER));

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/" + SHOP + "/block/" + LEDGER + "/12");
            assertThat(a.canister()).isEqualTo(SHOP);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.evidence().blockIndexes()).containsExactly(12L);
            assertThat(a.amountAtStake()).isEqualTo(BigInteger.valueOf(999));
            assertThat(a.callers()).containsExactly(BOB, ROUTER);
            assertThat(a.explanation()).contains("icrc2_transfer_from by " + ROUTER);
        });
    }

    @Test
    void aSecondBlockRepeatingAnExplainedTransferIsFlaggedAndNamesTheCallItRepeats() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(block(7, 0, SHOP, BOB, 500, 0));
        reconciler.block(block(9, 1, SHOP, BOB, 500, 0));

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.evidence().blockIndexes()).containsExactly(9L);
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.evidence().contextIds()).containsExactly("c1");
            assertThat(a.explanation()).contains("call k1 of context c1 (paid in block 7)");
        });
    }

    @Test
    void aTrappedMessagesPrintedTransferWasNeverSentSoNothingIsExpectedOfIt() {
        open("c1", 0);
        event(call("c1", "k1", 0, LEDGER, "icrc1_transfer", "u",
                new Transfer(BOB, BigInteger.valueOf(500), "6d31", at(0))).asRolledBack());
        reconciler.block(block(1, 5, ALICE, BOB, 1, 5));

        assertThat(finish()).isEmpty();
    }

    @Test
    void aTrappedMessagesPrintedTransferExplainsNoBlock() {
        open("c1", 0);
        event(call("c1", "k1", 0, LEDGER, "icrc1_transfer", "u",
                new Transfer(BOB, BigInteger.valueOf(500), "6d31", at(0))).asRolledBack());
        reconciler.block(block(4, 1, SHOP, BOB, 500, 0));

        assertThat(finish()).singleElement().satisfies(a -> assertThat(a.evidence().blockIndexes()).containsExactly(4L));
    }

    @Test
    void aBoundedWaitTransferAnsweredSysUnknownIsExplainedByItsBlockOnTheLedger() {
        open("c1", 0);
        event(call("c1", "k1", 0, LEDGER, "icrc1_transfer", "b",
                new Transfer(BOB, BigInteger.valueOf(500), "6d31", at(0))));
        answer("c1", "k1", 10, CallOutcome.reject(6, "deadline expired"));
        reconciler.block(block(4, 1, SHOP, BOB, 500, 0));

        assertThat(finish()).isEmpty();
    }

    @Test
    void aTransferTheLedgerRefusedExplainsNoBlock() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        answer("c1", "k1", 1, CallOutcome.replyError("InsufficientFunds"));
        reconciler.block(block(4, 1, SHOP, BOB, 500, 0));

        assertThat(finish()).singleElement().satisfies(a -> assertThat(a.evidence().blockIndexes()).containsExactly(4L));
    }

    @Test
    void blocksOutOfAccountsOfPrincipalsThatPrintNoTraceAreNotJudged() {
        open("c1", 0);
        reconciler.block(block(4, 1, BOB, ALICE, 500, 0));
        reconciler.block(block(5, 1, ROUTER, ALICE, 500, 0));

        assertThat(finish()).isEmpty();
    }

    @Test
    void aCallThroughARouterNamingItsLedgerIsExplainedByThePullAndCheckedOnThatLedger() {
        open("c1", 0);
        event(call("c1", "k1", 0, ROUTER, "pay", "u", new Transfer(BOB, BigInteger.valueOf(500), "6d31", null, null,
                LEDGER)));
        answer("c1", "k1", 2, CallOutcome.reply(7L));
        reconciler.block(new LedgerBlock(LEDGER, 7, "h7", null, at(1), "xfer", SHOP, BOB, BigInteger.valueOf(500),
                BigInteger.TEN, "6d31", at(1)).withSpender(ROUTER));

        assertThat(finish()).isEmpty();
    }

    @Test
    void aCallThroughARouterRepliedAsPaidWithoutAnyPullIsFlagged() {
        open("c1", 0);
        event(call("c1", "k1", 0, ROUTER, "pay", "u", new Transfer(BOB, BigInteger.valueOf(500), "6d31", null, null,
                LEDGER)));
        answer("c1", "k1", 2, CallOutcome.reply(7L));
        reconciler.block(block(7, 1, BOB, ALICE, 70, 1));
        reconciler.block(block(8, 9, ALICE, ALICE, 70, 9));

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.explanation()).contains("expecting it to transfer on ledger " + LEDGER);
        });
    }

    @Test
    void aReplyNamingAStaleIndexIsSatisfiedByTheBlockThatMatchesItsTransfer() {
        open("c1", 0);
        event(call("c1", "k1", 0, ROUTER, "pay", "u", new Transfer(BOB, BigInteger.valueOf(500), "6d31", null, null,
                LEDGER)));
        answer("c1", "k1", 2, CallOutcome.reply(2L)); // the router named the block of an earlier payout
        reconciler.block(block(2, 0, SHOP, ALICE, 70, 0).withSpender(ROUTER));
        reconciler.block(block(5, 1, SHOP, BOB, 500, 1).withSpender(ROUTER));
        reconciler.block(block(6, 3, ALICE, ALICE, 1, 3));

        assertThat(finish()).as("block 2 unexplained, the call matched to block 5").singleElement()
                .satisfies(a -> assertThat(a.evidence().blockIndexes()).containsExactly(2L));
    }

    @Test
    void aTransferOnALedgerNotFollowedExplainsNoBlockOfAFollowedOne() {
        open("c1", 0);
        event(call("c1", "k1", 0, OTHER_LEDGER, "icrc1_transfer", "u",
                new Transfer(BOB, BigInteger.valueOf(500), "6d31", at(0))));
        reconciler.block(new LedgerBlock(OTHER_LEDGER, 1, "o1", null, at(0), "xfer", ALICE, ALICE, BigInteger.ONE,
                null, null, null));
        reconciler.block(block(4, 1, SHOP, BOB, 500, 0));

        assertThat(finish()).singleElement().satisfies(a -> assertThat(a.evidence().ledger()).isEqualTo(LEDGER));
    }

    @Test
    void aReplyNamingAnIndexTakesThatBlockFromAnEqualTransferThatNamedNone() {
        open("c1", 0);
        transfer("c1", "k1", 0, BOB, 500);
        open("c2", 0);
        transfer("c2", "k2", 0, BOB, 500);
        reconciler.block(block(8, 1, SHOP, BOB, 500, 0));
        reconciler.block(block(9, 1, SHOP, BOB, 500, 0));
        answer("c1", "k1", 2, CallOutcome.reply(9L));
        answer("c2", "k2", 2, CallOutcome.reply(8L));

        assertThat(finish()).isEmpty();
    }

    @Test
    void aBlockMadeWhileTheCanistersLogLostRecordsIsStillFlaggedButNamesTheLostRecords() {
        open("c1", 0);
        event(CallEvent.logGap(SHOP, seq, seq + 30, at(5), at(20))); // the explaining call may be among them
        seq += 31;
        reconciler.block(block(4, 10, SHOP, BOB, 500, 10));
        reconciler.block(block(5, 400, SHOP, BOB, 600, 400));
        open("c2", 900);

        List<Alert> found = finish();
        assertThat(found).extracting(a -> a.evidence().blockIndexes().get(0)).containsExactlyInAnyOrder(4L, 5L);
        Alert during = found.stream().filter(a -> a.evidence().blockIndexes().contains(4L)).findFirst().orElseThrow();
        assertThat(during.evidence().missing()).containsExactly("log records 1..31 (LOG_GAP)");
        assertThat(during.explanation()).contains("Records 1..31 of the canister's log, printed around the block's "
                + "time, were lost before Interlock read them (LOG_GAP)");
        Alert after = found.stream().filter(a -> a.evidence().blockIndexes().contains(5L)).findFirst().orElseThrow();
        assertThat(after.evidence().missing()).isEmpty();
        assertThat(after.explanation()).doesNotContain("LOG_GAP");
    }

    // ---- the ICP ledger: its blocks name account identifiers, not owners

    private static String id(String owner) {
        return AccountIdentifier.hex(Account.of(Principal.fromText(owner)));
    }

    private static String id(String owner, int subaccount) {
        byte[] sub = new byte[32];
        sub[31] = (byte) subaccount;
        return AccountIdentifier.hex(Account.of(Principal.fromText(owner), sub));
    }

    private static String text(String owner, int subaccount) {
        byte[] sub = new byte[32];
        sub[31] = (byte) subaccount;
        return Account.of(Principal.fromText(owner), sub).toText();
    }

    private void icpTransfer(String ctx, String call, long t, String method, Transfer tx) {
        event(call(ctx, call, t, ICP, method, "u", tx));
    }

    private static LedgerBlock icpBlock(long index, long t, String from, String to, long amount, String memo,
            long createdAt) {
        return new LedgerBlock(ICP, index, "i" + index, null, T0 + t * SECOND, "xfer", from, to,
                BigInteger.valueOf(amount), BigInteger.valueOf(10_000), memo, T0 + createdAt * SECOND);
    }

    @Test
    void anIcpTransferToAnIcrcAccountTextMatchesTheBlockThatNamesBothAccountsByIdentifier() {
        open("c1", 0);
        icpTransfer("c1", "k1", 0, "icrc1_transfer", new Transfer(BOB, BigInteger.valueOf(500), "6d31", at(0)));
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(icpBlock(7, 0, id(SHOP), id(BOB), 500, "6d31", 0));

        assertThat(finish()).isEmpty();
        assertThat(reconciler.unverifiedReplies()).isZero();
    }

    @Test
    void aLegacyIcpTransferNamingItsRecipientByIdentifierMatchesItsBlock() {
        open("c1", 0);
        // transfer(TransferArgs): to is an AccountIdentifier, the nat64 memo printed as 8 bytes big-endian
        icpTransfer("c1", "k1", 0, "transfer", new Transfer(id(BOB).toUpperCase(), BigInteger.valueOf(500),
                "000000000000002a", at(0)));
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(icpBlock(7, 0, id(SHOP), id(BOB), 500, "000000000000002a", 0));

        assertThat(finish()).isEmpty();
    }

    @Test
    void anIcpTransferRepliedAsPaidWhoseBlockPaysSomeoneElseIsFlaggedOnTheCanister() {
        open("c1", 0);
        icpTransfer("c1", "k1", 0, "icrc1_transfer", new Transfer(BOB, BigInteger.valueOf(500), null, at(0)));
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(icpBlock(7, 0, id(SHOP), id(ALICE), 500, null, 0));
        reconciler.block(icpBlock(8, 5, id(ALICE), id(BOB), 1, null, 5));

        List<Alert> found = finish();
        Alert noBlock = found.stream().filter(a -> a.dedupKey().endsWith("/no-block")).findFirst().orElseThrow();
        assertThat(noBlock.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/" + SHOP + "/c1/k1/no-block");
        assertThat(noBlock.canister()).isEqualTo(SHOP);
        assertThat(noBlock.evidence().ledger()).isEqualTo(ICP);
        assertThat(noBlock.explanation()).contains("block 7 moved 500 from " + id(SHOP) + "'s account to " + id(ALICE));
        Alert unexplained = found.stream().filter(a -> a.dedupKey().contains("/block/")).findFirst().orElseThrow();
        assertThat(unexplained.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/" + id(SHOP) + "/block/" + ICP + "/7");
        assertThat(found).hasSize(2);
    }

    @Test
    void aBlockOutOfTheCanistersDefaultIcpAccountThatNoCallExplainsIsFlaggedOnTheCanister() {
        open("c1", 0);
        open("c2", 600);
        reconciler.block(icpBlock(12, 10, id(SHOP), id(ALICE), 900, null, 10));
        reconciler.block(icpBlock(13, 11, id(BOB), id(ALICE), 900, null, 11)); // someone else's account

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.canister()).isEqualTo(SHOP);
            assertThat(a.callers()).containsExactly(id(SHOP), id(ALICE));
            assertThat(a.amountAtStake()).isEqualTo(BigInteger.valueOf(900));
            assertThat(a.evidence().blockIndexes()).containsExactly(12L);
            assertThat(a.explanation()).contains("out of monitored canister " + SHOP + "'s account (account identifier "
                    + id(SHOP) + ") to " + id(ALICE));
        });
    }

    @Test
    void aTransferFromASubaccountTheTraceNamesMatchesItsBlockButOnlyTheDefaultAccountIsWatched() {
        open("c1", 0);
        icpTransfer("c1", "k1", 0, "icrc1_transfer", new Transfer(BOB, BigInteger.valueOf(500), null, at(0),
                text(SHOP, 1), null));
        answer("c1", "k1", 1, CallOutcome.reply(7L));
        reconciler.block(icpBlock(7, 0, id(SHOP, 1), id(BOB), 500, null, 0));
        reconciler.block(icpBlock(9, 30, id(SHOP, 1), id(ALICE), 700, null, 30)); // whose it is, no trace says
        reconciler.block(icpBlock(10, 31, id(SHOP), id(ALICE), 700, null, 31));
        open("c2", 600);

        assertThat(finish()).singleElement().satisfies(a -> {
            assertThat(a.canister()).isEqualTo(SHOP);
            assertThat(a.evidence().blockIndexes()).containsExactly(10L);
        });
        assertThat(reconciler.unverifiedReplies()).isZero();
    }

    @Test
    void aLedgerWhoseBlocksNameIdentifiersIsLearntFromItsBlocksOffline() {
        String other = "xnjld-hqaaa-aaaar-qah4q-cai";
        reconciler.block(new LedgerBlock(other, 3, "x3", null, at(0), "xfer", id(SHOP), id(BOB),
                BigInteger.valueOf(500), BigInteger.TEN, null, at(0)));
        open("c1", 0);
        event(call("c1", "k1", 0, other, "icrc1_transfer", "u", new Transfer(BOB, BigInteger.valueOf(500), null,
                at(0))));
        answer("c1", "k1", 1, CallOutcome.reply(3L));

        assertThat(finish()).isEmpty();
        assertThat(reconciler.unverifiedReplies()).isZero();
    }
}
