package dev.interlock.ic.icp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.HashChain;
import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;

/**
 * ICP blocks written byte by byte in the protobuf wire format (independently of protobuf-java), their
 * hashes computed with a plain SHA-256 over those bytes, then decoded and chained.
 */
class IcpBlockTest {
    private static final byte[] ALICE = AccountIdentifier.of(Account.of(Principal.canister(1)));
    private static final byte[] BOB = AccountIdentifier.of(Account.of(Principal.canister(2)));
    private static final byte[] CAROL = AccountIdentifier.of(Account.of(Principal.canister(3)));

    // --- a minimal hand-written protobuf writer -------------------------------------------------

    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A length-delimited field (sub-message or bytes). */
    private static byte[] ld(int field, byte[] body) {
        return cat(varint(field << 3 | 2), varint(body.length), body);
    }

    /** A uint64 field, left out when zero as proto3 does. */
    private static byte[] u64(int field, long v) {
        return v == 0 ? new byte[0] : cat(varint(field << 3), varint(v));
    }

    private static byte[] account(int field, byte[] id) {
        return ld(field, ld(1, id));
    }

    private static byte[] tokens(int field, long e8s) {
        return ld(field, u64(1, e8s));
    }

    private static byte[] block(byte[] parent, long ts, byte[] transaction) {
        return cat(parent == null ? new byte[0] : ld(1, ld(1, parent)), ld(2, u64(1, ts)), ld(3, transaction));
    }

    private static byte[] mint(byte[] to, long amount) {
        return cat(ld(2, cat(account(2, to), tokens(3, amount))), ld(4, u64(1, 0)));
    }

    private static byte[] transfer(byte[] from, byte[] to, long amount, long fee, long memo, long createdAt) {
        return cat(ld(3, cat(account(1, from), account(2, to), tokens(3, amount), tokens(4, fee))), ld(4, u64(1, memo)),
                ld(6, u64(1, createdAt)));
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    // --- tests ----------------------------------------------------------------------------------

    @Test
    void aTransferDecodesWithItsAccountsAmountsAndTheHashOfItsBytes() throws Exception {
        byte[] parent = sha256("genesis".getBytes());
        byte[] encoded = block(parent, 1_700_000_000_000_000_000L, transfer(ALICE, BOB, 150_000_000L, 10_000, 42, 1_699_999_999_000_000_000L));

        IcpBlock b = IcpBlock.decode(7, encoded);

        assertThat(b.kind()).isEqualTo(IcpBlock.Kind.TRANSFER);
        assertThat(b.from()).isEqualTo(HexFormat.of().formatHex(ALICE));
        assertThat(b.to()).isEqualTo(HexFormat.of().formatHex(BOB));
        assertThat(b.amountE8s()).isEqualTo(150_000_000L);
        assertThat(b.feeE8s()).isEqualTo(OptionalLong.of(10_000));
        assertThat(b.memo()).isEqualTo(42);
        assertThat(b.createdAtTimeNanos()).isEqualTo(OptionalLong.of(1_699_999_999_000_000_000L));
        assertThat(b.timestampNanos()).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(b.parentHash()).hasValueSatisfying(p -> assertThat(p).isEqualTo(parent));
        assertThat(b.hash()).isEqualTo(sha256(encoded));
    }

    @Test
    void approveAndTransferFromAreSendsWithAnExtension() {
        byte[] approve = cat(ld(3, cat(account(1, ALICE), account(2, CAROL), tokens(3, 0), tokens(4, 10_000),
                ld(5, cat(tokens(1, 500_000_000L), tokens(3, 0))))), ld(4, u64(1, 0)), ld(7, ld(1, new byte[] {1, 2})));
        IcpBlock a = IcpBlock.decode(1, block(new byte[32], 5, approve));
        assertThat(a.kind()).isEqualTo(IcpBlock.Kind.APPROVE);
        assertThat(a.spender()).isEqualTo(HexFormat.of().formatHex(CAROL));
        assertThat(a.allowanceE8s()).isEqualTo(OptionalLong.of(500_000_000L));
        assertThat(a.expectedAllowanceE8s()).isEqualTo(OptionalLong.of(0));
        assertThat(a.expiresAtNanos()).isEmpty();
        assertThat(a.icrc1Memo()).hasValueSatisfying(m -> assertThat(m).isEqualTo(new byte[] {1, 2}));

        byte[] transferFrom = cat(ld(3, cat(account(1, ALICE), account(2, BOB), tokens(3, 99), tokens(4, 10_000),
                ld(6, account(1, CAROL)))), ld(4, u64(1, 0)));
        IcpBlock t = IcpBlock.decode(2, block(new byte[32], 6, transferFrom));
        assertThat(t.kind()).isEqualTo(IcpBlock.Kind.TRANSFER_FROM);
        assertThat(t.spender()).isEqualTo(HexFormat.of().formatHex(CAROL));
        assertThat(t.amountE8s()).isEqualTo(99);
    }

    @Test
    void aChainOfBlocksVerifiesAndItsTipMatchesTheCertifiedData() throws Exception {
        byte[] b0 = block(null, 1, mint(ALICE, 1_000_000));
        byte[] b1 = block(sha256(b0), 2, transfer(ALICE, BOB, 500, 10_000, 1, 2));
        byte[] b2 = block(sha256(b1), 3, transfer(BOB, CAROL, 100, 10_000, 2, 3));
        IcpChain chain = new IcpChain();

        assertThat(chain.accept(IcpBlock.decode(0, b0))).isEmpty();
        assertThat(chain.accept(IcpBlock.decode(1, b1))).isEmpty();
        assertThat(chain.accept(IcpBlock.decode(2, b2))).isEmpty();

        assertThat(chain.nextIndex()).isEqualTo(3);
        assertThat(chain.checkCertifiedTip(sha256(b2))).isEmpty();
        assertThat(chain.checkCertifiedTip(sha256(b1))).hasValueSatisfying(br -> assertThat(br.reason()).isEqualTo("certified tip mismatch"));
        assertThat(IcpBlock.decode(0, b0).kind()).isEqualTo(IcpBlock.Kind.MINT);
    }

    @Test
    void aTamperedBlockBreaksTheChainAtItsSuccessorAndTheChainDoesNotAdvance() throws Exception {
        byte[] b0 = block(null, 1, mint(ALICE, 1_000_000));
        byte[] b1 = block(sha256(b0), 2, transfer(ALICE, BOB, 500, 10_000, 1, 2));
        byte[] b2 = block(sha256(b1), 3, transfer(BOB, CAROL, 100, 10_000, 2, 3));
        byte[] tampered = block(sha256(b0), 2, transfer(ALICE, BOB, 5_000_000, 10_000, 1, 2));
        IcpChain chain = new IcpChain();
        chain.accept(IcpBlock.decode(0, b0));
        chain.accept(IcpBlock.decode(1, tampered));

        Optional<HashChain.Break> br = chain.accept(IcpBlock.decode(2, b2));

        assertThat(br).hasValue(new HashChain.Break(2, "parent hash mismatch", HexFormat.of().formatHex(sha256(tampered)),
                HexFormat.of().formatHex(sha256(b1))));
        assertThat(chain.nextIndex()).isEqualTo(2);
    }

    @Test
    void gapsAndAParentOnGenesisAreBreaks() throws Exception {
        byte[] b0 = block(null, 1, mint(ALICE, 1));
        IcpChain chain = new IcpChain();
        assertThat(chain.accept(IcpBlock.decode(0, block(new byte[32], 1, mint(ALICE, 1))))).hasValueSatisfying(
                br -> assertThat(br.reason()).isEqualTo("block 0 names a parent"));
        chain.accept(IcpBlock.decode(0, b0));
        assertThat(chain.accept(IcpBlock.decode(5, block(sha256(b0), 2, mint(ALICE, 1))))).hasValue(
                new HashChain.Break(5, "gap", "1", "5"));
    }

    @Test
    void malformedBlocksAreRejectedNamingTheProblem() {
        assertThatThrownBy(() -> IcpBlock.decode(3, new byte[] {(byte) 0xff, (byte) 0xff})).hasMessageStartingWith("ICP block 3: not a protobuf Block");
        assertThatThrownBy(() -> IcpBlock.decode(3, block(null, 1, new byte[0]))).hasMessageContaining("no operation");
        assertThatThrownBy(() -> IcpBlock.decode(3, block(new byte[5], 1, mint(ALICE, 1)))).hasMessageContaining("parent hash has 5 bytes");
        byte[] badChecksum = ALICE.clone();
        badChecksum[0] ^= 1;
        assertThatThrownBy(() -> IcpBlock.decode(3, block(null, 1, mint(badChecksum, 1))))
                .hasMessageContaining("ICP block 3 mint.to").hasMessageContaining("does not match its hash");
        byte[] deep = new byte[0];
        for (int i = 0; i < 40; i++) {
            deep = ld(3, deep);
        }
        byte[] hostile = deep;
        assertThatThrownBy(() -> IcpBlock.decode(3, hostile)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBareTwentyEightByteIdentifierGetsItsChecksum() {
        byte[] bare = java.util.Arrays.copyOfRange(BOB, 4, 32);
        IcpBlock b = IcpBlock.decode(0, block(null, 1, mint(bare, 1)));
        assertThat(b.to()).isEqualTo(HexFormat.of().formatHex(BOB));
    }
}
