package dev.hearth.redis;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Shared limits that outlive their store: every request goes to Redis while it answers; when it cannot be reached,
 * this instance holds its keys to the same limits in its own memory (so N instances admit up to N times a key's limit
 * between them), logs one warning saying so, and tries Redis again after {@link #RETRY} (requests between do not wait
 * on a dead server), logging again when it is back. Budgets are not limits of this kind: they live in the ledger's
 * database and never fall back. Thread-safe.
 */
final class FallbackRateLimits implements RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackRateLimits.class);
    /** How long limits stay per instance before Redis is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private final RedisRateLimits shared;
    private final RateLimits local;
    private final LongSupplier nanos;
    private final long retryNanos;
    private final Object lock = new Object();
    private boolean down; // guarded by lock
    private long retryAt; // guarded by lock

    FallbackRateLimits(RedisRateLimits shared, RateLimits local, LongSupplier nanos, Duration retry) {
        this.shared = shared;
        this.local = local;
        this.nanos = nanos;
        this.retryNanos = retry.toNanos();
        try {
            shared.ping();
            LOG.info("rate limits are shared through {}", shared.describe());
        } catch (JedisException e) {
            failed(e);
        }
    }

    @Override
    public Throttled admit(String key, Integer rpm, Integer tpm) {
        if (rpm == null && tpm == null) {
            return null;
        }
        if (useShared()) {
            try {
                Throttled t = shared.admit(key, rpm, tpm);
                recovered();
                return t;
            } catch (JedisException e) {
                failed(e);
            }
        }
        return local.admit(key, rpm, tpm);
    }

    @Override
    public void spend(String key, Integer tpm, long used) {
        if (tpm == null || used <= 0) {
            return;
        }
        if (useShared()) {
            try {
                shared.spend(key, tpm, used);
                recovered();
                return;
            } catch (JedisException e) {
                failed(e);
            }
        }
        local.spend(key, tpm, used);
    }

    /** Whether limits are per instance now (Redis failed and its retry time has not come). */
    boolean fallenBack() {
        synchronized (lock) {
            return down && nanos.getAsLong() - retryAt < 0;
        }
    }

    private boolean useShared() {
        synchronized (lock) {
            return !down || nanos.getAsLong() - retryAt >= 0;
        }
    }

    private void failed(JedisException e) {
        synchronized (lock) {
            if (!down) {
                LOG.warn("rate limits cannot reach {} ({}): each instance now holds keys to their limits on its own"
                        + " (several instances together admit up to that many times a limit); budgets still hold"
                        + " (they live in the ledger's database); retrying Redis every {} s", shared.describe(),
                        e.getMessage(), RETRY.toSeconds());
            }
            down = true;
            retryAt = nanos.getAsLong() + retryNanos;
        }
    }

    private void recovered() {
        synchronized (lock) {
            if (down) {
                down = false;
                LOG.warn("rate limits reach {} again: shared by every instance once more", shared.describe());
            }
        }
    }

    @Override
    public String describe() {
        return shared.describe() + (fallenBack() ? " (unreachable: per instance for now)" : "");
    }

    @Override
    public void close() {
        shared.close();
    }
}
