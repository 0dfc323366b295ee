package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CompositionTest {
    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong();
    private final StepCosts costs = new StepCosts(now::get);

    private void measured(int width, long millis) {
        long t0 = costs.start();
        now.addAndGet(millis * MS);
        costs.stop(t0, width, width);
    }

    /** A width's cost as the composition trusts it: measured twice. */
    private void known(int width, long millis) {
        measured(width, millis);
        measured(width, millis);
    }

    @Test
    void timeSlicesTwoStreamsWhenABatchOfTwoCostsMoreThanTwoStepsOfOne() {
        Composition c = new Composition(8, costs, Duration.ofMillis(250));
        known(1, 16);
        known(2, 33);
        assertThat(c.width(2)).isEqualTo(1);
    }

    @Test
    void batchesTwoStreamsWhenABatchOfTwoCostsLessThanTwoStepsOfOne() {
        Composition c = new Composition(8, costs, Duration.ofMillis(250));
        known(1, 16);
        known(2, 31);
        assertThat(c.width(2)).isEqualTo(2);
    }

    @Test
    void measuresBatchingFirstThenEachNarrowerWidthThenEachAgainBeforeTrustingOne() {
        Composition c = new Composition(4, costs, Duration.ofMillis(250));
        assertThat(c.width(3)).as("nothing measured: batch all").isEqualTo(3);
        measured(3, 90); // the cores were busy
        assertThat(c.width(3)).isEqualTo(1);
        measured(1, 12);
        assertThat(c.width(3)).isEqualTo(2);
        measured(2, 20);
        assertThat(c.width(3)).as("2 per 20 ms looks best; 1 is measured again").isEqualTo(1);
        measured(1, 12);
        assertThat(c.width(3)).as("then 3, whose one measurement is not yet a cost").isEqualTo(3);
        measured(3, 30);
        assertThat(c.width(3)).as("3 per 30 ms (the lower of two) ties with 2 per 20 ms: the wider waits less, and 2 is"
                + " measured again").isEqualTo(2);
        measured(2, 20);
        assertThat(c.width(3)).isEqualTo(3);
        for (int i = 0; i < StepCosts.SAMPLES; i++) {
            measured(3, 42); // all of the last five: 42 ms is the cost now
        }
        assertThat(c.width(3)).as("2 per 20 ms beats 1 per 12 ms and 3 per 42 ms").isEqualTo(2);
    }

    @Test
    void keepsEveryStreamWithinTheBoundEvenWhenTheFastestWidthWouldNot() {
        // one at a time gives the most tokens per second, but 4 streams would each wait 4 x 12 = 48 ms
        long[] cost = {0, 12, 21, 33, 44};
        Simulation s = simulate(4, cost, Duration.ofMillis(43), 2_000);
        assertThat(s.widths[2]).as("width 2: 42 ms between tokens").isGreaterThan(1_900);
        assertThat(s.gapsPastBound).as("tokens past the bound: only around a width measured again every 256 steps")
                .isLessThanOrEqualTo(4 * (2_000 / Composition.REMEASURE_PAST_BOUND_EVERY));
        assertThat(s.maxGap).isLessThanOrEqualTo((42 + 44) * MS);
    }

    @Test
    void neverStarvesAStreamPastTheBoundWhileRemeasuringOtherWidths() {
        long[] cost = {0, 12, 20, 45};
        Simulation s = simulate(3, cost, Duration.ofMillis(60), 2_000);
        assertThat(s.widths[2]).as("the chosen width").isGreaterThan(1_800);
        assertThat(s.widths[1]).as("width 1, measured again now and then (one extra 12 ms step fits the bound)")
                .isGreaterThan(2_000 / Composition.REMEASURE_EVERY - 2_000 / Composition.REMEASURE_PAST_BOUND_EVERY - 5);
        assertThat(s.widths[3]).as("width 3 (40 + 45 ms would pass the bound): twice at first, then every 256 steps")
                .isBetween(2L, 2L + 2_000 / Composition.REMEASURE_PAST_BOUND_EVERY);
        assertThat(s.maxGap).as("the longest gap: one step of width 3 in place of one of width 2")
                .isLessThanOrEqualTo((40 + 45) * MS);
        assertThat(s.gapsPastBound).as("tokens that waited past the bound").isLessThanOrEqualTo(
                2 * (2_000 / Composition.REMEASURE_PAST_BOUND_EVERY));
        assertThat(java.util.Arrays.stream(s.served).boxed().toList()).allSatisfy(n -> assertThat(n).as("tokens per stream")
                .isBetween(2_000L * 2 / 3 - 100, 2_000L * 2 / 3 + 100));
    }

    @Test
    void followsTheMachineWhenBatchingStartsToPay() {
        long[] slicing = {0, 10, 25};
        Composition c = new Composition(2, costs, Duration.ofMillis(250));
        for (int i = 0; i < 10; i++) {
            measured(c.width(2), slicing[c.width(2)]);
        }
        assertThat(c.width(2)).isEqualTo(1);
        long[] batching = {0, 10, 12}; // the same machine, less loaded: a batch of two now pays
        for (int i = 0; i < 200; i++) {
            boolean[] chosen = c.choose(slot -> true);
            int k = chosen[0] && chosen[1] ? 2 : 1;
            measured(k, batching[k]);
        }
        assertThat(c.width(2)).isEqualTo(2);
    }

    @Test
    void aWidthMeasuredSlowOnceIsMeasuredAgainAtTheNextTurnAndTakenWhenItPays() {
        // a batch of four first measured at 240 ms (the cores were busy): one at a time (4 x 56 = 224 ms between
        // tokens) looks better, and one more step of four in its place would pass the 250 ms bound; its true cost is
        // 125 ms, so batching gives 32 tokens/s against 18. One measurement is not yet a cost: four is measured again
        // at the next turn to measure, not after REMEASURE_PAST_BOUND_EVERY steps
        Composition c = new Composition(4, costs, Duration.ofMillis(250));
        long[] cost = {0, 56, 120, 170, 125};
        measured(4, 240);
        for (int k = 1; k <= 3; k++) {
            measured(k, cost[k]);
        }
        int[] widths = new int[3 * Composition.REMEASURE_EVERY];
        for (int step = 0; step < widths.length; step++) {
            boolean[] chosen = c.choose(slot -> true);
            for (boolean b : chosen) {
                widths[step] += b ? 1 : 0;
            }
            measured(widths[step], cost[widths[step]]);
        }
        int last = Composition.REMEASURE_EVERY;
        long batched = java.util.Arrays.stream(widths, widths.length - last, widths.length).filter(k -> k == 4).count();
        // all but the second measurements of the other widths and the periodic ones (where they fit the bound)
        assertThat(batched).as("steps of four among the last " + last).isGreaterThanOrEqualTo(last - 3);
    }

    @Test
    void aStepWithoutATokenPerSequenceIsRefused() {
        assertThatThrownBy(() -> costs.record(2, 1, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 sequences in 1 tokens");
    }

    private record Simulation(long[] widths, long[] served, long maxGap, long gapsPastBound) {
    }

    /** Every slot generating for {@code steps} steps, each step costing exactly {@code cost[width]}. */
    private Simulation simulate(int slots, long[] cost, Duration bound, int steps) {
        Composition c = new Composition(slots, costs, bound);
        long[] widths = new long[slots + 1], served = new long[slots], last = new long[slots];
        long maxGap = 0, pastBound = 0;
        for (int step = 0; step < steps; step++) {
            boolean[] chosen = c.choose(slot -> true);
            int k = 0;
            for (boolean b : chosen) {
                k += b ? 1 : 0;
            }
            measured(k, cost[k]);
            widths[k]++;
            for (int s = 0; s < slots; s++) {
                if (chosen[s]) {
                    if (step > slots) { // past the first measurement of each width
                        maxGap = Math.max(maxGap, now.get() - last[s]);
                        pastBound += now.get() - last[s] > bound.toNanos() ? 1 : 0;
                    }
                    last[s] = now.get();
                    served[s]++;
                }
            }
        }
        return new Simulation(widths, served, maxGap, pastBound);
    }
}
