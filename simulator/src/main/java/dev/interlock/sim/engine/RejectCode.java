package dev.interlock.sim.engine;

/** IC reject codes, as a calling canister sees them. */
public final class RejectCode {
    public static final int SYS_FATAL = 1;
    public static final int SYS_TRANSIENT = 2;
    public static final int DESTINATION_INVALID = 3;
    public static final int CANISTER_REJECT = 4;
    public static final int CANISTER_ERROR = 5;
    public static final int SYS_UNKNOWN = 6;

    private RejectCode() {
    }
}
