package dev.hearth.api;

import java.util.Optional;

/**
 * The caller stopped waiting for its answer (an HTTP client that closed its connection mid-stream): the generation was
 * cancelled and the call is recorded with outcome {@code cancelled}, not as a failure of the model, with the tokens it
 * had used by then ({@link #usedSoFar}) where the backend could tell.
 */
public final class CallCancelledException extends HearthException {
    private final transient Usage usedSoFar;

    public CallCancelledException(String message, Throwable cause) {
        this(message, cause, null);
    }

    private CallCancelledException(String message, Throwable cause, Usage usedSoFar) {
        super(message, cause);
        this.usedSoFar = usedSoFar;
    }

    /**
     * The tokens the call had used when its caller left: counted by a local engine, or reported by the vendor and
     * otherwise estimated ({@link TokenEstimates}) from what had arrived. Empty when the backend could not say.
     */
    public Optional<Usage> usedSoFar() {
        return Optional.ofNullable(usedSoFar);
    }

    /** The same cancellation, saying what the call had used; the first backend to say wins. */
    public CallCancelledException withUsedSoFar(Usage usage) {
        if (usedSoFar != null) {
            return this;
        }
        CallCancelledException e = new CallCancelledException(getMessage(), getCause(), usage);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
