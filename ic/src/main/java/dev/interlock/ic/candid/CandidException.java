package dev.interlock.ic.candid;

/** A Candid message that is malformed, or exceeds the decoder's limits; the message says where and why. */
public class CandidException extends RuntimeException {
    public CandidException(String message) {
        super(message);
    }
}
