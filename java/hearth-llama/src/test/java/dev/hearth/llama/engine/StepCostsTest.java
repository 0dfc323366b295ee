package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A composition's cost: the lowest of its last measurements, which a step that shared the cores cannot raise. */
class StepCostsTest {
    private static final long MS = 1_000_000;
    private final StepCosts costs = new StepCosts(() -> 0);

    @Test
    void aSlowStepAmongOrdinaryOnesDoesNotMoveTheCost() {
        for (long ms : new long[] {20, 21, 170, 150, 20}) {
            costs.record(1, 1, ms * MS);
        }
        assertThat(costs.nanos(1, 1)).isEqualTo(20 * MS);
        assertThat(costs.samples(1, 1)).isEqualTo(5);
    }

    @Test
    void ofTwoMeasurementsTheLowerCounts() {
        costs.record(4, 4, 174 * MS);
        assertThat(costs.nanos(4, 4)).as("one measurement is all there is").isEqualTo(174 * MS);
        costs.record(4, 4, 72 * MS);
        assertThat(costs.nanos(4, 4)).isEqualTo(72 * MS);
    }

    @Test
    void aCostThatDropsIsFollowedAtOnceAndOneThatRisesAfterAllSamplesSawIt() {
        for (int i = 0; i < StepCosts.SAMPLES; i++) {
            costs.record(2, 2, 40 * MS);
        }
        costs.record(2, 2, 25 * MS);
        assertThat(costs.nanos(2, 2)).as("the machine is less loaded").isEqualTo(25 * MS);
        for (int i = 1; i < StepCosts.SAMPLES; i++) {
            costs.record(2, 2, 60 * MS);
        }
        assertThat(costs.nanos(2, 2)).as("four of five at 60 ms: not yet").isEqualTo(25 * MS);
        costs.record(2, 2, 60 * MS);
        assertThat(costs.nanos(2, 2)).as("all five").isEqualTo(60 * MS);
    }

    @Test
    void compositionsAreKeptApartAndAnUnmeasuredOneHasNoCost() {
        costs.record(1, 1, 20 * MS);
        costs.record(1, 9, 90 * MS);
        assertThat(costs.nanos(1, 1)).isEqualTo(20 * MS);
        assertThat(costs.nanos(1, 9)).isEqualTo(90 * MS);
        assertThat(costs.nanos(1, 2)).isNaN();
        assertThat(costs.samples(1, 2)).isZero();
    }
}
