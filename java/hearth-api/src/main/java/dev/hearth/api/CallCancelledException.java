package dev.hearth.api;

/**
 * The caller stopped waiting for its answer (an HTTP client that closed its connection mid-stream): the generation was
 * cancelled and the call is recorded with outcome {@code cancelled}, not as a failure of the model.
 */
public final class CallCancelledException extends HearthException {
    public CallCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
