package dev.interlock.sim.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;

class IcrcLedgerTest {
    private static final long NOW = 1_767_225_600_000_000_000L;
    private static final long HOUR = 3_600_000_000_000L;
    private static final Principal MINTER = Principal.canister(1);
    private static final Principal ALICE = Principal.canister(10);
    private static final Principal BOB = Principal.canister(11);
    private static final BigInteger FEE = BigInteger.TEN;

    private IcrcLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new IcrcLedger(Principal.canister(2), Account.of(MINTER), FEE, null, 24 * HOUR, 60_000_000_000L,
                5, 3, 4);
        assertThat(ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(ALICE),
                BigInteger.valueOf(1_000)), NOW).isOk()).isTrue();
    }

    private TransferArgs aliceToBob(long amount) {
        return TransferArgs.transfer(Account.of(ALICE), Account.of(BOB), BigInteger.valueOf(amount));
    }

    @Test
    void aTransferMovesTheAmountAndChargesTheFee() {
        TransferResult r = ledger.transfer(ALICE, aliceToBob(100), NOW);
        assertThat(r).isEqualTo(TransferResult.ok(1));
        assertThat(ledger.balance(Account.of(ALICE))).isEqualTo(BigInteger.valueOf(890));
        assertThat(ledger.balance(Account.of(BOB))).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void anEqualTransferWithCreatedAtTimeInTheWindowIsADuplicateOfTheFirst() {
        TransferArgs args = aliceToBob(100).withCreatedAt(NOW);
        assertThat(ledger.transfer(ALICE, args, NOW)).isEqualTo(TransferResult.ok(1));
        assertThat(ledger.transfer(ALICE, args, NOW + HOUR))
                .isEqualTo(TransferResult.err(TransferResult.Error.DUPLICATE, BigInteger.ONE));
        assertThat(ledger.balance(Account.of(BOB))).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void withoutCreatedAtTimeNothingIsDeduplicated() {
        assertThat(ledger.transfer(ALICE, aliceToBob(100), NOW).isOk()).isTrue();
        assertThat(ledger.transfer(ALICE, aliceToBob(100), NOW).isOk()).isTrue();
        assertThat(ledger.balance(Account.of(BOB))).isEqualTo(BigInteger.valueOf(200));
    }

    @Test
    void theSameArgumentsFromAnotherCallerAreNotADuplicate() {
        ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(BOB), BigInteger.valueOf(500)), NOW);
        TransferArgs fromBob = TransferArgs.transfer(Account.of(BOB), Account.of(ALICE), BigInteger.valueOf(5))
                .withCreatedAt(NOW);
        assertThat(ledger.transfer(BOB, fromBob, NOW).isOk()).isTrue();
        // A different memo makes a different transaction.
        assertThat(ledger.transfer(BOB, fromBob.withMemo(new byte[] {1}), NOW).isOk()).isTrue();
    }

    @Test
    void tooOldAndCreatedInFutureFollowTheWindowAndDrift() {
        long window = 24 * HOUR;
        long drift = 60_000_000_000L;
        assertThat(ledger.transfer(ALICE, aliceToBob(1).withCreatedAt(NOW - window - drift - 1), NOW))
                .isEqualTo(TransferResult.err(TransferResult.Error.TOO_OLD, null));
        assertThat(ledger.transfer(ALICE, aliceToBob(1).withCreatedAt(NOW - window - drift), NOW).isOk()).isTrue();
        assertThat(ledger.transfer(ALICE, aliceToBob(1).withCreatedAt(NOW + drift + 1), NOW))
                .isEqualTo(TransferResult.err(TransferResult.Error.CREATED_IN_FUTURE, BigInteger.valueOf(NOW)));
        assertThat(ledger.transfer(ALICE, aliceToBob(2).withCreatedAt(NOW + drift), NOW).isOk()).isTrue();
    }

    @Test
    void badFeeAndInsufficientFundsNameWhatTheLedgerExpectsOrHas() {
        assertThat(ledger.transfer(ALICE, aliceToBob(1).withFee(BigInteger.ONE), NOW))
                .isEqualTo(TransferResult.err(TransferResult.Error.BAD_FEE, FEE));
        assertThat(ledger.transfer(ALICE, aliceToBob(991), NOW))
                .isEqualTo(TransferResult.err(TransferResult.Error.INSUFFICIENT_FUNDS, BigInteger.valueOf(1_000)));
        assertThat(ledger.transfer(ALICE, aliceToBob(990), NOW).isOk()).isTrue();
    }

    @Test
    void blocksFollowTheIcrc1SchemaWithTopLevelFeeOnlyWhenTheCallerSetNone() {
        ledger.transfer(ALICE, aliceToBob(100).withCreatedAt(NOW).withMemo(new byte[] {7}), NOW);
        ledger.transfer(ALICE, aliceToBob(100).withFee(FEE), NOW);
        Value.Map implicitFee = ledger.blocks().get(1);
        Value.Map explicitFee = ledger.blocks().get(2);
        assertThat(implicitFee.get("fee")).isEqualTo(Value.nat(10));
        Value.Map tx = (Value.Map) implicitFee.get("tx");
        assertThat(tx.get("op")).isEqualTo(Value.text("xfer"));
        assertThat(tx.get("ts")).isEqualTo(Value.nat(NOW));
        assertThat(tx.get("memo")).isEqualTo(Value.blob(new byte[] {7}));
        assertThat(tx.get("fee")).isNull();
        assertThat(explicitFee.get("fee")).isNull();
        assertThat(((Value.Map) explicitFee.get("tx")).get("fee")).isEqualTo(Value.nat(10));
        assertThat(((Value.Map) ledger.blocks().get(0).get("tx")).get("op")).isEqualTo(Value.text("mint"));
        assertThat(ledger.blocks().get(0).get("phash")).isNull();
    }

    @Test
    void everyBlockCarriesTheHashOfItsParent() {
        for (int i = 0; i < 10; i++) {
            ledger.transfer(ALICE, aliceToBob(1), NOW + i);
        }
        for (int i = 1; i < ledger.length(); i++) {
            Value.Blob phash = (Value.Blob) ledger.blocks().get(i).get("phash");
            assertThat(phash.bytes()).isEqualTo(ValueHash.hash(ledger.blocks().get(i - 1)));
            assertThat(ledger.hash(i)).isEqualTo(ValueHash.hash(ledger.blocks().get(i)));
        }
    }

    @Test
    void anExplicitZeroSubaccountIsWrittenOutButIsTheSameAccount() {
        Account zero = Account.of(BOB, new byte[32]);
        ledger.transfer(ALICE, TransferArgs.transfer(Account.of(ALICE), zero, BigInteger.valueOf(5)), NOW);
        Value.Array to = (Value.Array) ((Value.Map) ledger.blocks().get(1).get("tx")).get("to");
        assertThat(to.items()).hasSize(2);
        assertThat(ledger.balance(Account.of(BOB))).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void blocksMoveToArchiveCanistersOnceTheLedgerHoldsMoreThanTheTrigger() {
        for (int i = 0; i < 12; i++) {
            ledger.transfer(ALICE, aliceToBob(1), NOW + i);
        }
        // trigger 5, archive 3 at a time, 4 blocks per archive
        assertThat(ledger.length()).isEqualTo(13);
        assertThat(ledger.archives()).hasSize(3);
        assertThat(ledger.archives().get(0).start()).isZero();
        assertThat(ledger.archives().get(0).length()).isEqualTo(4);
        assertThat(ledger.holderOf(0)).isEqualTo(ledger.archives().get(0).canister());
        assertThat(ledger.holderOf(12)).isEqualTo(ledger.id());
        assertThat(ledger.archives().stream().map(IcrcLedger.Archive::canister).distinct()).hasSize(3);
        assertThat(Arrays.asList(ledger.id(), ledger.archives().get(0).canister())).doesNotHaveDuplicates();
    }

    @Test
    void transferFromSpendsTheAllowanceIncludingTheFee() {
        Account spender = Account.of(BOB);
        TransferArgs approve = new TransferArgs(Account.of(ALICE), null, BigInteger.valueOf(200), null, null, null,
                spender);
        assertThat(ledger.approve(ALICE, approve, null, null, NOW).isOk()).isTrue();
        TransferArgs take = new TransferArgs(Account.of(ALICE), Account.of(BOB), BigInteger.valueOf(150), null, null,
                null, spender);
        assertThat(ledger.transferFrom(BOB, take, NOW).isOk()).isTrue();
        assertThat(ledger.transferFrom(BOB, take, NOW))
                .isEqualTo(TransferResult.err(TransferResult.Error.INSUFFICIENT_ALLOWANCE, BigInteger.valueOf(40)));
        assertThat(((Value.Map) ledger.blocks().get(1).get("tx")).get("op")).isEqualTo(Value.text("approve"));
    }
}
