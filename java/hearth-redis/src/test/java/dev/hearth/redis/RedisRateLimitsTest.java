package dev.hearth.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.RedisServer;
import dev.hearth.testkit.Workers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits shared through a real Redis by several limiters, each as one instance would hold it. */
class RedisRateLimitsTest {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void twoInstancesTakeFromOneRequestBucket() {
        try (RateLimits a = RedisRateLimits.connect(redis.url()); RateLimits b = RedisRateLimits.connect(redis.url())) {
            for (int i = 0; i < 4; i++) {
                assertThat((i % 2 == 0 ? a : b).admit("shared-rpm", 4, null)).isNull();
            }
            RateLimits.Throttled t = b.admit("shared-rpm", 4, null);
            assertThat(t.limit()).isEqualTo("requests");
            assertThat(t.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(15));
            assertThat(a.admit("shared-rpm", 4, null)).isNotNull();
            assertThat(a.admit("another-key", 4, null)).as("each key has its own buckets").isNull();
        }
    }

    @Test
    void tokensSpentThroughOneInstanceHoldTheKeyOnAnother() {
        try (RateLimits a = RedisRateLimits.connect(redis.url()); RateLimits b = RedisRateLimits.connect(redis.url())) {
            assertThat(a.admit("shared-tpm", null, 600)).isNull();
            a.spend("shared-tpm", 600, 900); // one large answer: 300 tokens in debt
            RateLimits.Throttled t = b.admit("shared-tpm", 5, 600);
            assertThat(t.limit()).isEqualTo("tokens");
            assertThat(t.retryAfter()).isGreaterThan(Duration.ofSeconds(29)).isLessThanOrEqualTo(Duration.ofSeconds(31));
            assertThat(b.admit("shared-tpm", 1, null)).as("the refusal took no request").isNull();
        }
    }

    @Test
    void manyThreadsOnTwoInstancesAdmitExactlyTheLimit() throws Exception {
        try (RateLimits a = RedisRateLimits.connect(redis.url()); RateLimits b = RedisRateLimits.connect(redis.url())) {
            AtomicInteger admitted = new AtomicInteger();
            Workers workers = new Workers();
            for (int w = 0; w < 8; w++) {
                RateLimits mine = w % 2 == 0 ? a : b;
                workers.start(() -> {
                    for (int i = 0; i < 20; i++) {
                        if (mine.admit("contended", 50, null) == null) {
                            admitted.incrementAndGet();
                        }
                    }
                });
            }
            workers.join();
            // 160 requests within well under a minute: the 50 in the bucket, plus at most what refilled meanwhile
            assertThat(admitted.get()).isBetween(50, 52);
        }
    }

    @Test
    void aUrlThatIsNotRedisIsRefusedWithWhatToDoAndNoPassword() {
        assertThatThrownBy(() -> RateLimits.fromEnvironment(Map.of("HEARTH_REDIS_URL",
                "http://user:s3cret@cache:6379"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HEARTH_REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379")
                .hasMessageContaining("unset it").hasMessageNotContaining("s3cret");
        try (RateLimits none = RateLimits.fromEnvironment(Map.of())) {
            assertThat(none.describe()).isEqualTo("this process's memory");
        }
    }

    @Test
    void whileRedisIsDownEachInstanceHoldsTheLimitAloneAndSharesAgainOnceItIsBack() throws Exception {
        long[] now = {0};
        try (RedisServer own = RedisServer.launch();
                FallbackRateLimits limits = new FallbackRateLimits(RedisRateLimits.connect(own.url()),
                        RateLimits.inProcess(() -> now[0]), () -> now[0], Duration.ofSeconds(5))) {
            assertThat(limits.admit("k", 2, null)).isNull();
            assertThat(limits.describe()).isEqualTo("Redis at redis://127.0.0.1:" + own.port());
            own.stop();
            assertThat(limits.admit("k", 2, null)).as("served from this instance's bucket").isNull();
            assertThat(limits.fallenBack()).isTrue();
            assertThat(limits.describe()).contains("unreachable: per instance for now");
            assertThat(limits.admit("k", 2, null)).isNull();
            assertThat(limits.admit("k", 2, null)).as("the per-instance limit holds").isNotNull();
            own.start(); // back, empty
            assertThat(limits.fallenBack()).as("not retried before its time").isTrue();
            now[0] += Duration.ofSeconds(5).toNanos();
            assertThat(limits.admit("k", 2, null)).as("Redis's fresh bucket").isNull();
            assertThat(limits.fallenBack()).isFalse();
            assertThat(limits.admit("k", 2, null)).isNull();
            assertThat(limits.admit("k", 2, null)).isNotNull();
        }
    }
}
