package dev.hearth.api;

import java.time.Duration;

/**
 * A local engine refused a request at once because its slots and queue are full; nothing was started. The request may
 * be sent again after {@link #retryAfter()} (an HTTP server answers 503, or Anthropic's 529, with {@code retry-after}).
 */
public class EngineOverloadedException extends HearthException {
    private final Duration retryAfter;

    public EngineOverloadedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before sending it again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
