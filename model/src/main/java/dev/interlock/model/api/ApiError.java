package dev.interlock.model.api;

/** The JSON body of every API error. */
public record ApiError(String code, String message) {
}
