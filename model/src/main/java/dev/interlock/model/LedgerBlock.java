package dev.interlock.model;

import java.math.BigInteger;

/**
 * One ledger block, decoded to the fields detectors match on. Published to
 * {@link Topics#LEDGER_BLOCKS}, keyed by ledger, in block order.
 *
 * @param ledger         the ledger canister (principal text)
 * @param index          block index
 * @param hash           hex of the block hash
 * @param parentHash     hex of {@code phash}, null for block 0
 * @param timestampNanos the block's {@code ts}
 * @param op             xfer, mint, burn or approve (or the raw btype when unknown)
 * @param from           source account text, null for mints
 * @param to             destination account text, null for burns
 * @param amount         {@code amt}
 * @param fee            effective fee, or null
 * @param memo           hex of the memo, or null
 * @param createdAtTime  {@code tx.ts}, or null
 * @param verification   how far the block was verified: {@code chain} (parent hash checked against the
 *                       previous block), {@code chain+certified-tip} (and the chain's tip matched the ledger's
 *                       certified data, BLS signature not verified), or null when not verified (simulated
 *                       corpora, file imports)
 * @param raw            the block as received, for forensics: ICRC-3 Value JSON, or hex of the ICP encoding;
 *                       null when not kept
 * @param spender        for an {@code icrc2_transfer_from} (and an approval), the spender's account text; else null
 */
public record LedgerBlock(
        String ledger,
        long index,
        String hash,
        String parentHash,
        long timestampNanos,
        String op,
        String from,
        String to,
        BigInteger amount,
        BigInteger fee,
        String memo,
        Long createdAtTime,
        String verification,
        String raw,
        String spender) implements IngestRecord {

    public static final String VERIFIED_CHAIN = "chain";
    public static final String VERIFIED_CERTIFIED_TIP = "chain+certified-tip";

    /** A block without verification level or raw form (simulated corpora, tests). */
    public LedgerBlock(String ledger, long index, String hash, String parentHash, long timestampNanos, String op, String from,
            String to, BigInteger amount, BigInteger fee, String memo, Long createdAtTime) {
        this(ledger, index, hash, parentHash, timestampNanos, op, from, to, amount, fee, memo, createdAtTime, null, null,
                null);
    }

    /** A block without spender (none, or a ledger that does not record it). */
    public LedgerBlock(String ledger, long index, String hash, String parentHash, long timestampNanos, String op, String from,
            String to, BigInteger amount, BigInteger fee, String memo, Long createdAtTime, String verification, String raw) {
        this(ledger, index, hash, parentHash, timestampNanos, op, from, to, amount, fee, memo, createdAtTime, verification,
                raw, null);
    }

    public LedgerBlock withSpender(String account) {
        return new LedgerBlock(ledger, index, hash, parentHash, timestampNanos, op, from, to, amount, fee, memo, createdAtTime,
                verification, raw, account);
    }

    public LedgerBlock withVerification(String level, String rawForm) {
        return new LedgerBlock(ledger, index, hash, parentHash, timestampNanos, op, from, to, amount, fee, memo, createdAtTime,
                level, rawForm, spender);
    }

    @Override
    public String topic() {
        return Topics.LEDGER_BLOCKS;
    }

    @Override
    public String key() {
        return ledger;
    }

    /** {@code <ledger>/<index>}: unique per block. */
    @Override
    public String dedupKey() {
        return ledger + "/" + index;
    }
}
