package dev.hearth.server;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key requests-per-minute and tokens-per-minute limits as token buckets in this process's memory: a bucket holds
 * up to a minute's allowance and refills continuously. A request takes one from its key's request bucket and needs a
 * token bucket that is not in debt; the tokens a call used are taken after it answers (so one large answer can put
 * the bucket in debt, and the key waits until it is repaid). Several Hearth instances each keep their own (shared limits
 * belong in Redis, see ARCHITECTURE.md). Thread-safe: each bucket is updated under its own lock.
 */
final class RateLimiter {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own) */
    RateLimiter(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** A request refused: which limit ({@code requests} or {@code tokens}, as OpenAI names them) and how long to wait. */
    record Throttled(String limit, Duration retryAfter) {
    }

    /**
     * Admits one request of key {@code key} under {@code rpm} and {@code tpm} (null: no limit): null when admitted
     * (a request was taken from its bucket), else which limit refused it and for how long (nothing was taken).
     */
    Throttled admit(String key, Integer rpm, Integer tpm) {
        long now = nanos.getAsLong();
        Bucket tokens = tpm == null ? null : bucket("tpm:" + key, tpm);
        if (tokens != null) {
            long wait = tokens.untilPositive(now);
            if (wait > 0) {
                return new Throttled("tokens", Duration.ofNanos(wait));
            }
        }
        if (rpm != null) {
            long wait = bucket("rpm:" + key, rpm).take(1, now);
            if (wait > 0) {
                return new Throttled("requests", Duration.ofNanos(wait));
            }
        }
        return null;
    }

    /** Takes the tokens a call of key {@code key} used from its tokens-per-minute bucket (none when {@code tpm} is null). */
    void spend(String key, Integer tpm, long used) {
        if (tpm != null && used > 0) {
            bucket("tpm:" + key, tpm).debit(used, nanos.getAsLong());
        }
    }

    private Bucket bucket(String name, int perMinute) {
        Bucket b = buckets.compute(name, (k, old) -> old == null || old.perMinute != perMinute
                ? new Bucket(perMinute, nanos.getAsLong()) : old); // a changed limit starts a full bucket
        return b;
    }

    private static final class Bucket {
        final int perMinute;
        private double level;
        private long at;

        Bucket(int perMinute, long now) {
            this.perMinute = perMinute;
            this.level = perMinute;
            this.at = now;
        }

        private void refill(long now) {
            if (now > at) {
                level = Math.min(perMinute, level + (double) (now - at) * perMinute / MINUTE);
                at = now;
            }
        }

        /** Takes {@code n} now and answers 0, or answers the nanoseconds until {@code n} will be there. */
        synchronized long take(int n, long now) {
            refill(now);
            if (level >= n) {
                level -= n;
                return 0;
            }
            return nanosFor(n - level);
        }

        /** 0 when the bucket is not in debt, else the nanoseconds until it holds at least one again. */
        synchronized long untilPositive(long now) {
            refill(now);
            return level >= 1 ? 0 : nanosFor(1 - level);
        }

        synchronized void debit(long n, long now) {
            refill(now);
            level -= n;
        }

        private long nanosFor(double missing) {
            return Math.max(1, (long) Math.ceil(missing * MINUTE / perMinute));
        }
    }
}
