package dev.interlock.model.api;

/** Every API error and its HTTP status: the one status table of the API. */
public enum ApiErrorCode {
    INVALID_REQUEST(400),
    NOT_FOUND(404),
    ROLE_DISABLED(404),
    /** A resource of that name exists already. */
    ALREADY_EXISTS(409),
    /** The request is well formed, but what it names cannot be used (a monitored target's test fetch failed). */
    TEST_FETCH_FAILED(422),
    INTERNAL(500);

    private final int status;

    ApiErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
