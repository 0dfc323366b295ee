package dev.hearth.redis;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link RateLimits} in this process's memory: the buckets of one instance, or of each while Redis is down.
 * Thread-safe: each bucket is updated under its own lock.
 */
final class LocalRateLimits implements RateLimits {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own) */
    LocalRateLimits(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public Throttled admit(String key, Integer rpm, Integer tpm) {
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

    @Override
    public void spend(String key, Integer tpm, long used) {
        if (tpm != null && used > 0) {
            bucket("tpm:" + key, tpm).debit(used, nanos.getAsLong());
        }
    }

    @Override
    public String describe() {
        return "this process's memory";
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
