package dev.hearth.server.openai;

/**
 * A request the server's gate refuses before anything runs (no key, a key that may not do this, a rate limit): it
 * carries the {@link ApiError} to answer with, which each wire format then shapes as its own.
 */
public final class Refusal extends RuntimeException {
    private final ApiError error;

    public Refusal(ApiError error) {
        super(error.message(), null, false, false); // an answer to the client, not a bug: no stack trace to fill
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
