package dev.hearth.api;

/** Base of every error Hearth reports on purpose. Messages say what was wrong and what to do about it. */
public class HearthException extends RuntimeException {
    public HearthException(String message) {
        super(message);
    }

    public HearthException(String message, Throwable cause) {
        super(message, cause);
    }
}
