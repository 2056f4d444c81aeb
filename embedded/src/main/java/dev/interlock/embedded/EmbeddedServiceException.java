package dev.interlock.embedded;

/** An embedded Kafka broker or PostgreSQL server could not be started or used. */
public class EmbeddedServiceException extends RuntimeException {
    public EmbeddedServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    public EmbeddedServiceException(String message) {
        super(message);
    }
}
