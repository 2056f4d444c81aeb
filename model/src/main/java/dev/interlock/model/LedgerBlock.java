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
        Long createdAtTime) implements IngestRecord {

    @Override
    public String topic() {
        return Topics.LEDGER_BLOCKS;
    }

    @Override
    public String key() {
        return ledger;
    }
}
