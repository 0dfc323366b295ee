package dev.hearth.redis;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-key requests-per-minute and tokens-per-minute limits as token buckets: a bucket holds up to a minute's allowance
 * and refills continuously. A request takes one from its key's request bucket and needs a token bucket that is not in
 * debt; the tokens a call used are taken after it answers (so one large answer can put the bucket in debt, and the key
 * waits until it is repaid). Two stores: this process's memory ({@link #inProcess}), for one instance, and Redis
 * ({@link #fromEnvironment} with {@code HEARTH_REDIS_URL}), where every instance behind a load balancer takes from the
 * same buckets. While Redis cannot be reached, the shared limits fall back to each instance's own and say so in the
 * log (budgets never fall back: they live in the ledger's database). Thread-safe.
 */
public interface RateLimits extends AutoCloseable {
    /** The variable that names the Redis server limits are shared through. */
    String REDIS_URL = "HEARTH_REDIS_URL";

    /** A request refused: which limit ({@code requests} or {@code tokens}, as OpenAI names them) and how long to wait. */
    record Throttled(String limit, Duration retryAfter) {
    }

    /**
     * Admits one request of key {@code key} under {@code rpm} and {@code tpm} (null: no limit): null when admitted
     * (a request was taken from its bucket), else which limit refused it and for how long (nothing was taken).
     */
    Throttled admit(String key, Integer rpm, Integer tpm);

    /** Takes the tokens a call of key {@code key} used from its tokens-per-minute bucket (none when {@code tpm} is null). */
    void spend(String key, Integer tpm, long used);

    /** Where the buckets are kept, for the log and {@code /ready} (never a password). */
    String describe();

    @Override
    default void close() {
    }

    /** Buckets in this process's memory; {@code nanos} is a monotonic clock ({@code System::nanoTime}, or a test's). */
    static RateLimits inProcess(LongSupplier nanos) {
        return new LocalRateLimits(nanos);
    }

    /**
     * Shared buckets in the Redis server {@code HEARTH_REDIS_URL} names ({@code redis://[user:password@]host:port[/db]},
     * or {@code rediss://} for TLS) falling back to this process's while it is down; without the variable, this
     * process's buckets alone.
     *
     * @throws IllegalArgumentException when the variable is set but is not such a URL
     */
    static RateLimits fromEnvironment(Map<String, String> env) {
        String url = env.get(REDIS_URL);
        if (url == null || url.isBlank()) {
            return inProcess(System::nanoTime);
        }
        return new FallbackRateLimits(RedisRateLimits.connect(url.strip()), inProcess(System::nanoTime),
                System::nanoTime, FallbackRateLimits.RETRY);
    }
}
