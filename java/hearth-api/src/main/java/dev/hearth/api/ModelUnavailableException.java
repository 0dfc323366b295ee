package dev.hearth.api;

/**
 * A model that cannot run now: its file is missing, no installed backend serves it, or it does not fit the memory
 * budget. Nothing was generated, so a fallback chain may move on to its next model. The message says what to do.
 */
public class ModelUnavailableException extends HearthException {
    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
