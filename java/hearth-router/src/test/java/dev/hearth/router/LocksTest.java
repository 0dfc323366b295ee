package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A locked conversation keeps its model under auto until it is released, times out, or the model may not answer. */
class LocksTest {
    static final RouteOptions S1 = RouteOptions.defaults().withSession("s1");
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T12:00:00Z"));

    Router router(String... env) {
        Router r = PresetsTest.hybrid(env);
        r.lockWith(new ModelLocks(clock, Duration.ofMinutes(30)));
        return r;
    }

    @Test
    void aSessionKeepsTheModelOfItsFirstTurnUnderAuto() {
        Router router = router();
        RouteDecision first = router.explain(TiersTest.QUICK, S1);
        assertThat(TiersTest.model(first)).isEqualTo("qwen2.5-0.5b-instruct");
        router.locks().answered(S1, first.chain().getFirst());
        RouteDecision code = router.explain(TiersTest.CODE, S1);
        assertThat(TiersTest.model(code)).isEqualTo("qwen2.5-0.5b-instruct");
        assertThat(code.reason()).contains("session s1 is locked to qwen2.5-0.5b-instruct")
                .contains("without the lock: hybrid:");
        assertThat(router.steer(TiersTest.CODE, S1).lock()).startsWith("session s1 is locked to");
        assertThat(TiersTest.model(router.explain(TiersTest.CODE))).as("another conversation")
                .isEqualTo("claude-sonnet-4-6");
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, RouteOptions.defaults().withSession("s2"))))
                .isEqualTo("claude-sonnet-4-6");
    }

    @Test
    void aLockIsReleasedByTheCallerOrAfterThirtyIdleMinutes() {
        Router router = router();
        ModelProfile local = router.registry().find("qwen2.5-0.5b-instruct").orElseThrow();
        router.locks().answered(S1, local);
        clock.advance(Duration.ofMinutes(29));
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, S1))).isEqualTo("qwen2.5-0.5b-instruct");
        router.locks().answered(S1, local); // a turn: its idle time starts again
        clock.advance(Duration.ofMinutes(29));
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, S1))).isEqualTo("qwen2.5-0.5b-instruct");
        clock.advance(Duration.ofMinutes(1));
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, S1))).as("30 minutes without a turn")
                .isEqualTo("claude-sonnet-4-6");
        assertThat(router.locks().of(ModelLocks.Holder.session("s1"))).isEmpty();

        router.locks().answered(S1, local);
        assertThat(router.locks().release(ModelLocks.Holder.session("s1"))).isTrue();
        assertThat(router.locks().release(ModelLocks.Holder.session("s1"))).isFalse();
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, S1))).isEqualTo("claude-sonnet-4-6");
    }

    @Test
    void anUnhealthyOrRefusedLockedModelIsSetAsideAndTheReasonSaysSo() {
        Router router = router();
        HealthTracker health = new HealthTracker(clock);
        router.watch(health);
        router.locks().lock(ModelLocks.Holder.session("s1"), "deepseek-flash");
        assertThat(TiersTest.model(router.explain(TiersTest.CODE, S1))).isEqualTo("deepseek-flash");
        health.coolDown("deepseek-flash", Duration.ofMinutes(5));
        RouteDecision aside = router.explain(TiersTest.CODE, S1);
        assertThat(TiersTest.model(aside)).isEqualTo("claude-sonnet-4-6");
        assertThat(router.steer(TiersTest.CODE, S1).lock())
                .isEqualTo("session s1 is locked to deepseek-flash, set aside for this turn: its circuit is open");

        Router permissive = router("HEARTH_LICENSE_LEVEL", "open-weights", "HEARTH_ALLOWED_LICENSES", "mit");
        permissive.locks().lock(ModelLocks.Holder.session("s1"), "deepseek-flash");
        assertThat(permissive.steer(TiersTest.CODE, S1).lock()).as("allowed: proprietary-api is open-weights")
                .startsWith("session s1 is locked to deepseek-flash (since");
        Router strict = router("HEARTH_LICENSE_LEVEL", "permissive");
        strict.locks().lock(ModelLocks.Holder.session("s1"), "deepseek-flash");
        assertThat(strict.steer(TiersTest.CODE, S1).lock()).contains("set aside for this turn: deepseek-flash is under"
                + " the licence proprietary-api");
    }

    @Test
    void anApiKeysLockAppliesToItsRequestsAndASessionsLockComesFirst() {
        Router router = router();
        router.locks().lock(ModelLocks.Holder.key("team-a"), "deepseek-v4-pro");
        RouteOptions key = RouteOptions.defaults().withKey("team-a");
        assertThat(TiersTest.model(router.explain(TiersTest.QUICK, key))).isEqualTo("deepseek-v4-pro");
        assertThat(router.explain(TiersTest.QUICK, key).reason()).startsWith("key team-a is locked to deepseek-v4-pro");
        router.locks().lock(ModelLocks.Holder.session("s1"), "deepseek-flash");
        assertThat(TiersTest.model(router.explain(TiersTest.QUICK, key.withSession("s1")))).isEqualTo("deepseek-flash");
        router.locks().answered(key, router.registry().find("claude-sonnet-4-6").orElseThrow());
        assertThat(router.locks().of(ModelLocks.Holder.key("team-a")).orElseThrow().model())
                .as("a key's lock is only set, never taken by a turn").isEqualTo("deepseek-v4-pro");
    }
}
