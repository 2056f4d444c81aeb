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
    CONTEXT_CLOSE
}
