package dev.interlock.model;

/** A record that cannot be used; its message says what was wrong and is the quarantine reason. */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
