package dev.hearth.api;

/**
 * Base of every error Hearth reports on purpose. Messages say what was wrong and what to do about it, and never show a
 * configured API key ({@link Secrets#redact}: a vendor's error text may echo one).
 */
public class HearthException extends RuntimeException {
    public HearthException(String message) {
        super(Secrets.redact(message));
    }

    public HearthException(String message, Throwable cause) {
        super(Secrets.redact(message), cause);
    }
}
