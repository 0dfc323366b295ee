package dev.hearth.llama.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one decode step costs, by its composition (sequences in the batch, tokens in the batch), measured with an
 * injected clock and kept as an exponentially weighted average, so a cost follows the machine's load. Owned by the
 * engine's scheduler loop; not thread-safe.
 */
final class StepCosts {
    /** The newest measurement's weight in the average: a few steps follow a change in load, one outlier does not. */
    static final double WEIGHT = 0.25;

    private record Cost(double nanos, long samples, long lastStep) {
    }

    private record Composition(int sequences, int tokens) {
    }

    private final LongSupplier nanoClock;
    private final Map<Composition, Cost> costs = new HashMap<>();
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
        Composition key = new Composition(sequences, tokens);
        Cost old = costs.get(key);
        double value = Math.max(0, nanos);
        costs.put(key, old == null ? new Cost(value, 1, steps)
                : new Cost(old.nanos() + WEIGHT * (value - old.nanos()), old.samples() + 1, steps));
    }

    /** The average cost of a step of this composition in nanoseconds; NaN when none was measured. */
    double nanos(int sequences, int tokens) {
        Cost c = costs.get(new Composition(sequences, tokens));
        return c == null ? Double.NaN : c.nanos();
    }

    /** The step count when this composition was last measured; 0 when it never was. */
    long lastMeasured(int sequences, int tokens) {
        Cost c = costs.get(new Composition(sequences, tokens));
        return c == null ? 0 : c.lastStep();
    }

    /** Steps measured so far. */
    long steps() {
        return steps;
    }
}
