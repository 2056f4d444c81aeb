package dev.interlock.ic.agent;

/** A failure talking to the IC, by layer: transport (retry may help) or a canister's reject (it answered). */
public abstract sealed class IcException extends RuntimeException permits IcException.Transport, IcException.Rejected {
    IcException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The gateway could not be reached or answered with something that is not a reply. */
    public static final class Transport extends IcException {
        private final int httpStatus;
        private final boolean retryable;

        public Transport(String message, int httpStatus, boolean retryable, Throwable cause) {
            super(message, cause);
            this.httpStatus = httpStatus;
            this.retryable = retryable;
        }

        /** The HTTP status, or 0 when there was no HTTP answer. */
        public int httpStatus() {
            return httpStatus;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /** The IC rejected the call (reject code 1–6 of the interface specification, with its IC0xxx error code). */
    public static final class Rejected extends IcException {
        private final int rejectCode;
        private final String rejectMessage;
        private final String errorCode;

        public Rejected(int rejectCode, String rejectMessage, String errorCode) {
            super("rejected with code " + rejectCode + (errorCode == null ? "" : " (" + errorCode + ")") + ": " + rejectMessage,
                    null);
            this.rejectCode = rejectCode;
            this.rejectMessage = rejectMessage;
            this.errorCode = errorCode;
        }

        public int rejectCode() {
            return rejectCode;
        }

        public String rejectMessage() {
            return rejectMessage;
        }

        /** The {@code IC0xxx} error code, or null when the replica sent none. */
        public String errorCode() {
            return errorCode;
        }

        /** SYS_TRANSIENT (2) may succeed when tried again. */
        public boolean transientReject() {
            return rejectCode == 2;
        }
    }
}
