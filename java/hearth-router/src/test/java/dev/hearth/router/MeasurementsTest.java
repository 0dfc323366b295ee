package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MeasurementsTest {
    static final ModelProfile REMOTE = new ModelProfile("r", "deepseek", "r", false, Set.of(), Set.of(), 0.8, 1000, true,
            true, 0, 0);

    @Test
    void declaredValuesGiveWayToMeasuredOnesWhichFollowRecentCalls() {
        Measurements m = new Measurements();
        assertThat(m.of(REMOTE).measured()).isFalse();
        m.record(REMOTE, 400, 101, 1400); // 100 tokens after the first in 1 s
        assertThat(m.of(REMOTE).measured()).isTrue();
        assertThat(m.of(REMOTE).ttftMillis()).isEqualTo(400);
        assertThat(m.of(REMOTE).tokensPerSecond()).isEqualTo(100);
        m.record(REMOTE, 900, 51, 1900); // slower: the average moves a fifth of the way
        assertThat(m.of(REMOTE).ttftMillis()).isEqualTo(500);
        assertThat(m.of(REMOTE).tokensPerSecond()).isEqualTo(90);
    }
}
