package dev.hearth.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves. */
class LocalRateLimitsTest {
    private long now = 1_000;
    private final RateLimits limits = RateLimits.inProcess(() -> now);

    @Test
    void aKeyGetsItsRequestsPerMinuteThenWaitsForTheBucketToRefill() {
        assertThat(limits.admit("k", 3, null)).isNull();
        assertThat(limits.admit("k", 3, null)).isNull();
        assertThat(limits.admit("k", 3, null)).isNull();
        RateLimits.Throttled t = limits.admit("k", 3, null);
        assertThat(t.limit()).isEqualTo("requests");
        assertThat(t.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
        now += t.retryAfter().toNanos();
        assertThat(limits.admit("k", 3, null)).isNull();
        assertThat(limits.admit("k", 3, null)).isNotNull();
    }

    @Test
    void eachKeyHasItsOwnBuckets() {
        assertThat(limits.admit("a", 1, null)).isNull();
        assertThat(limits.admit("a", 1, null)).isNotNull();
        assertThat(limits.admit("b", 1, null)).isNull();
    }

    @Test
    void tokensSpentPastTheMinutesAllowanceHoldTheKeyUntilRepaid() {
        assertThat(limits.admit("k", null, 600)).isNull();
        limits.spend("k", 600, 900); // one large answer: 300 tokens in debt
        RateLimits.Throttled t = limits.admit("k", null, 600);
        assertThat(t.limit()).isEqualTo("tokens");
        assertThat(t.retryAfter()).isGreaterThan(Duration.ofSeconds(29)).isLessThanOrEqualTo(Duration.ofSeconds(31));
        now += Duration.ofSeconds(31).toNanos();
        assertThat(limits.admit("k", null, 600)).isNull();
    }

    @Test
    void aRefusedRequestTakesNothing() {
        limits.spend("k", 60, 61);
        assertThat(limits.admit("k", 1, 60)).isNotNull(); // refused for tokens: its request was not taken
        now += Duration.ofSeconds(2).toNanos();
        assertThat(limits.admit("k", 1, 60)).isNull();
    }
}
