package dev.interlock.model;

/** What happened in a monitored canister's call context, as its trace reports it. */
public enum CallEventKind {
    /** An incoming call opened a call context (its first message started). */
    CONTEXT_OPEN,
    /** The context made an outgoing inter-canister call (the current message then ended at its await). */
    CALL,
    /** The response to an outgoing call arrived and its callback message started. */
    CALLBACK,
    /** The context replied or rejected its caller; no more messages run in it. */
    CONTEXT_CLOSE,
    /** An outgoing call failed synchronously: nothing was sent, no callback will run. */
    SEND_FAILED,
    /** The callback of a call trapped and its cleanup ran. */
    CLEANUP,
    /** A message of the context trapped: its other events are marked rolled back. */
    TRAP,
    /** Optional evidence: a state key read. */
    STATE_READ,
    /** Optional evidence: a state key written. */
    STATE_WRITE,
    /** Optional evidence: a guard taken (value "false": found held, not taken). */
    GUARD_ACQUIRE,
    /** Optional evidence: a guard released. */
    GUARD_RELEASE,
    /** Optional evidence: journal intent before a failable call. */
    JOURNAL_INTENT,
    /** Optional evidence: journal result after it (value "true"/"false"). */
    JOURNAL_RESULT,
    /**
     * Not from the trace: the ingester found records of the canister's log lost before it read them (the
     * log buffer overflowed, or a reinstall purged it). Subject {@code <from>..<to>}, the lost idx range
     * (its seq is {@code to}); value the time of the last record read before them; no context.
     */
    LOG_GAP
}
