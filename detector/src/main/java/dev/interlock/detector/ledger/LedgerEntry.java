package dev.interlock.detector.ledger;

import java.math.BigInteger;

/**
 * One fact of the ledger reconciliation in its {@code SortedStore}: a notify expecting a transfer,
 * a block seen, an account's clock, a canister's pending journal or evidence, an index entry.
 * Plain fields, JSON in the service's stores.
 */
public final class LedgerEntry {
    /** The recipient account of the expected (or seen) transfer. */
    public String account;
    /** An expectation's recipient account as the trace printed it (the account above is its identifier). */
    public String recipient;
    public BigInteger amount;
    /** Hex memo, or null. */
    public String memo;
    public String canister;
    public String context;
    public String call;
    public String journal;
    public String callee;
    public String eventId;
    public String ledger;
    public Long blockIndex;
    /** Event time (ns): when the notify was sent, the block made, the fact seen. */
    public long time;
    /** Wall-clock time (ms) the fact arrived, for extrapolating event time when input stops. */
    public long wall;
    /** Event time after which the entry is forgotten (0: kept until decided). */
    public long expiry;
    /** The notifying canister prints the optional evidence (journal, state keys, guards). */
    public boolean evidence;

    public LedgerEntry() {
    }
}
