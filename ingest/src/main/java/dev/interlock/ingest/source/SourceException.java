package dev.interlock.ingest.source;

/** A source could not be read. Retryable failures are backed off and retried; others stop the source. */
public class SourceException extends Exception {
    public enum Reason { UNREACHABLE, REJECTED_BY_PEER, BAD_CONFIGURATION, INTERNAL }

    private final Reason reason;
    private final boolean retryable;

    public SourceException(Reason reason, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryable = retryable;
    }

    public Reason reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }
}
