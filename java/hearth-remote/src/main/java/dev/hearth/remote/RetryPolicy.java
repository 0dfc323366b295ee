package dev.hearth.remote;

import java.time.Duration;

/**
 * Retries inside a client: only before the first token, only for retryable errors, with exponential backoff and
 * full jitter, honouring the server's wait (up to {@code maxServerWait}; a longer wait is not waited for, the error
 * goes to the caller, whose router may go elsewhere).
 *
 * @param maxRetries     retries after the first attempt (0: none; the router turns them off this way)
 * @param baseDelay      the first backoff
 * @param maxDelay       the largest backoff
 * @param maxServerWait  the longest server-requested wait the client will sit out
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxServerWait) {
    public RetryPolicy {
        if (maxRetries < 0 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxServerWait.isNegative()) {
            throw new IllegalArgumentException("need maxRetries >= 0 and 0 <= baseDelay <= maxDelay");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public RetryPolicy withMaxRetries(int n) {
        return new RetryPolicy(n, baseDelay, maxDelay, maxServerWait);
    }

    /** The backoff before retry number {@code attempt} (1-based): a random point below base * 2^(attempt-1). */
    Duration backoff(int attempt, double random) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
        return Duration.ofMillis((long) (cap * random));
    }
}
