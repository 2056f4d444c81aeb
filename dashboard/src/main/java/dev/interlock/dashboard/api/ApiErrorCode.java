package dev.interlock.dashboard.api;

/** Every API error and its HTTP status: the one status table of the API. */
public enum ApiErrorCode {
    INVALID_REQUEST(400),
    NOT_FOUND(404),
    ROLE_DISABLED(404),
    INTERNAL(500);

    private final int status;

    ApiErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
