package dev.interlock.model.trace;

/** A trace line that does not follow the format; the message says what is wrong. */
public class TraceFormatException extends RuntimeException {
    public TraceFormatException(String message) {
        super(message);
    }
}
