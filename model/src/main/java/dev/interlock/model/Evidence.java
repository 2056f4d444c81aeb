package dev.interlock.model;

import java.util.List;

/**
 * What an alert rests on: enough ids to draw the interleaving and find the ledger blocks.
 *
 * @param eventIds     trace events, in stream order
 * @param contextIds   call contexts involved
 * @param callIds      outgoing calls involved
 * @param blockIndexes ledger blocks involved
 * @param ledger       the ledger of those blocks, when known
 * @param basis        the kinds of evidence the alert rests on (e.g. "overlap", "transfer-replies")
 * @param missing      optional evidence that was absent and would have sharpened the verdict
 */
public record Evidence(
        List<String> eventIds,
        List<String> contextIds,
        List<String> callIds,
        List<Long> blockIndexes,
        String ledger,
        List<String> basis,
        List<String> missing) {

    /** The {@link #missing} entry for records {@code <from>..<to>} of the canister's log, lost unread (LOG_GAP). */
    public static String lostRecords(String idxRange) {
        return "log records " + idxRange + " (LOG_GAP)";
    }
}
