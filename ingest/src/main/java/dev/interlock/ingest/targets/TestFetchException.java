package dev.interlock.ingest.targets;

/**
 * A target's test fetch failed: the gateway is unreachable, the canister is no ledger of the type named, its log
 * is not visible to the identity used, ... The message says what to do about it.
 */
public class TestFetchException extends Exception {
    public TestFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
