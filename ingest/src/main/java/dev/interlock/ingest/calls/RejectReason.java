package dev.interlock.ingest.calls;

/**
 * Why a line of a call log was rejected (quarantined). The tag is the metric's {@code reason} label and the
 * reply's {@code code}; the rejection's text gives the detail.
 */
public enum RejectReason {
    /** Not a JSON object, not UTF-8, or not a log record at all. */
    MALFORMED("malformed"),
    /** A required field of the line schema is missing. */
    MISSING_FIELD("missing-field"),
    /** A field of the line schema has the wrong type or an impossible value. */
    BAD_FIELD("bad-field"),
    /** The canister (or a principal in a trace line) is not a valid principal text. */
    BAD_PRINCIPAL("bad-principal"),
    /** A record schema version ({@code v}) or trace format version ({@code ILK2 …}) this reader does not know. */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** The line is longer than the configured limit. */
    LINE_TOO_LONG("line-too-long"),
    /** A trace line that breaks the call-trace format (docs/trace-format.md). */
    TRACE_FORMAT("trace-format"),
    /** The record's timestamp is beyond the clock-skew tolerance. */
    CLOCK_SKEW("clock-skew"),
    /** The record's idx is below one already processed in this input (and above the committed cursor). */
    OUT_OF_ORDER("out-of-order"),
    /** Two records of one canister with the same idx but different content. */
    DUPLICATE_IDX("duplicate-idx");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
