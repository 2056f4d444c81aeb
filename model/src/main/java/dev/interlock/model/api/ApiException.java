package dev.interlock.model.api;

/** An error the API reports to its client as {@code {"code": ..., "message": ...}}. */
public class ApiException extends RuntimeException {
    private final ApiErrorCode code;

    public ApiException(ApiErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ApiErrorCode code() {
        return code;
    }
}
