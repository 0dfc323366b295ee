package dev.hearth.llama.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one decode step costs, by its composition (sequences in the batch, tokens in the batch), measured with an
 * injected clock. A composition's cost is the lowest of its last {@link #SAMPLES} measurements: what the step costs
 * when nothing else takes the cores. Something else only ever adds time, and it adds it to whatever width runs then,
 * so it has no say in which width is best; a cost that drops is followed at once, one that rises after
 * {@link #SAMPLES} steps. Found needed on the 2-core bench machine, where a kernel thread woke about every half second
 * and the steps it overlapped (often two in a row) took 2-8 times as long, ggml's threads waiting for each other at
 * every operation: a running average kept such a step for dozens of steps, a median of five kept two, and a batch
 * first measured that way looked too slow to use. Owned by the engine's scheduler loop; not thread-safe.
 */
final class StepCosts {
    /** Measurements kept per composition. */
    static final int SAMPLES = 5;

    /** The last measurements of one composition, oldest overwritten first. */
    private static final class Samples {
        final long[] nanos = new long[SAMPLES];
        long count, lastStep;

        void add(long value, long step) {
            nanos[(int) (count++ % SAMPLES)] = value;
            lastStep = step;
        }

        double lowest() {
            long low = Long.MAX_VALUE;
            for (int i = 0; i < Math.min(count, SAMPLES); i++) {
                low = Math.min(low, nanos[i]);
            }
            return low;
        }
    }

    private record Composition(int sequences, int tokens) {
    }

    private final LongSupplier nanoClock;
    private final Map<Composition, Samples> costs = new HashMap<>();
    private long steps;

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake one in tests) */
    StepCosts(LongSupplier nanoClock) {
        this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Now, on the injected clock: give it to {@link #stop} when the step has been decoded. */
    long start() {
        return nanoClock.getAsLong();
    }

    /** Records a step that began at {@code started} (from {@link #start}) and has just ended. */
    void stop(long started, int sequences, int tokens) {
        record(sequences, tokens, nanoClock.getAsLong() - started);
    }

    void record(int sequences, int tokens, long nanos) {
        if (sequences < 1 || tokens < sequences) {
            throw new IllegalArgumentException("a step holds at least one sequence and a token per sequence, not "
                    + sequences + " sequences in " + tokens + " tokens");
        }
        steps++;
        costs.computeIfAbsent(new Composition(sequences, tokens), c -> new Samples()).add(Math.max(0, nanos), steps);
    }

    /** The cost of a step of this composition in nanoseconds; NaN when none was measured. */
    double nanos(int sequences, int tokens) {
        Samples s = costs.get(new Composition(sequences, tokens));
        return s == null ? Double.NaN : s.lowest();
    }

    /** How many steps of this composition were measured. */
    long samples(int sequences, int tokens) {
        Samples s = costs.get(new Composition(sequences, tokens));
        return s == null ? 0 : s.count;
    }

    /** The step count when this composition was last measured; 0 when it never was. */
    long lastMeasured(int sequences, int tokens) {
        Samples s = costs.get(new Composition(sequences, tokens));
        return s == null ? 0 : s.lastStep;
    }

    /** Steps measured so far. */
    long steps() {
        return steps;
    }
}
