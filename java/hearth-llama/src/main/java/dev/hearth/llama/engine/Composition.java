package dev.hearth.llama.engine;

import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * Which generating sequences the engine's next step decodes. Of {@code n} generating sequences a step decodes a
 * width {@code k}: the {@code k} that have waited longest, so each is served at least every {@code ceil(n/k)} steps
 * and its inter-token latency is {@code ceil(n/k) * cost(k)}. The width is the one with the most tokens per second,
 * {@code k / cost(k)}, among those whose latency is within the bound: all of them (batching) when a batch costs
 * less per token than a step of one, fewer (time-slicing) when batching costs more than it gains. Costs come from
 * {@link StepCosts}, measured on this machine: each width is tried once, then once more (one measurement may be a
 * step that shared the cores with something else); after that, now and then a width is measured again where one
 * extra step of it keeps every stream within the bound, and one that would not every
 * {@link #REMEASURE_PAST_BOUND_EVERY} steps, so that slow measurements cannot shut a width out for good. Owned by
 * the scheduler loop; not thread-safe.
 */
final class Composition {
    /** The inter-token latency a width must keep each stream within, where some width can. */
    static final Duration DEFAULT_BOUND = Duration.ofMillis(250);
    /** Steps between two measurements of a width the engine is not using. */
    static final int REMEASURE_EVERY = 32;
    /**
     * Steps between two measurements of a width whose one extra step passes the bound: at most one stream's token in
     * this many waits past it, well outside a 95th percentile. Found needed on the engine bench: a first batch of four
     * measured slow kept the engine one stream at a time (17 tok/s against llama.cpp's batched 30) for good.
     */
    static final int REMEASURE_PAST_BOUND_EVERY = 256;

    private final StepCosts costs;
    private final long boundNanos;
    private final long[] lastServed; // per slot: when it last decoded, in turns taken (0: never)
    private long served, step;
    private long lastRemeasure, lastPastBound;

    Composition(int slots, StepCosts costs, Duration bound) {
        if (slots < 1 || bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("need at least one slot and a positive bound, not " + slots + " and "
                    + bound);
        }
        this.costs = costs;
        this.boundNanos = bound.toNanos();
        this.lastServed = new long[slots];
    }

    StepCosts costs() {
        return costs;
    }

    /**
     * The slots whose sequences the next step decodes, of those {@code generating} says have a token to decode:
     * {@link #width} of them, those that waited longest first (at first, the lower slot).
     */
    boolean[] choose(IntPredicate generating) {
        int n = 0;
        boolean[] candidate = new boolean[lastServed.length];
        for (int s = 0; s < candidate.length; s++) {
            candidate[s] = generating.test(s);
            n += candidate[s] ? 1 : 0;
        }
        int k = width(n);
        boolean[] chosen = new boolean[candidate.length];
        for (int taken = 0; taken < k; taken++) {
            int oldest = -1;
            for (int s = 0; s < candidate.length; s++) {
                if (candidate[s] && !chosen[s] && (oldest < 0 || lastServed[s] < lastServed[oldest])) {
                    oldest = s;
                }
            }
            chosen[oldest] = true;
            lastServed[oldest] = ++served; // to the back of the queue, in the order taken: turns stay fair
        }
        step++;
        return chosen;
    }

    /** How many of {@code n} generating sequences a step decodes. */
    int width(int n) {
        if (n <= 1) {
            return n;
        }
        if (Double.isNaN(cost(n))) {
            return n; // what batching costs, first: the width the engine uses when nothing else is known
        }
        for (int k = 1; k < n; k++) {
            if (Double.isNaN(cost(k))) {
                return k;
            }
        }
        int best = best(n);
        for (int k = 1; k <= n; k++) {
            if (k != best && costs.samples(k, k) == 1) {
                return k; // one measurement is not yet a cost: a first step of four on the bench was 2.4x too slow
            }
        }
        if (step - lastRemeasure >= REMEASURE_EVERY) {
            lastRemeasure = step;
            boolean overdue = step - lastPastBound >= REMEASURE_PAST_BOUND_EVERY;
            int stalest = -1;
            for (int k = 1; k <= n; k++) {
                if (k != best && (overdue || harmless(n, best, k)) && (stalest < 0
                        || costs.lastMeasured(k, k) < costs.lastMeasured(stalest, stalest))) {
                    stalest = k;
                }
            }
            if (stalest > 0) {
                if (!harmless(n, best, stalest)) {
                    lastPastBound = step;
                }
                return stalest;
            }
        }
        return best;
    }

    /** Whether one step of width {@code k} in place of {@code best} keeps every stream within the bound. */
    private boolean harmless(int n, int best, int k) {
        return latency(n, best) + cost(k) <= boundNanos || latency(n, best) > boundNanos;
    }

    /**
     * The width with the most tokens per second whose latency is within the bound (among equals, the wider: lower
     * latency); the width with the lowest latency when none is within it.
     */
    private int best(int n) {
        int best = -1, quickest = 1;
        for (int k = 1; k <= n; k++) {
            if (latency(n, k) < latency(n, quickest)) {
                quickest = k;
            }
            if (latency(n, k) <= boundNanos && (best < 0 || k / cost(k) >= best / cost(best))) {
                best = k;
            }
        }
        return best > 0 ? best : quickest;
    }

    /** A stream's inter-token latency when {@code n} take turns in steps of {@code k}. */
    private double latency(int n, int k) {
        return Math.ceilDiv(n, k) * cost(k);
    }

    private double cost(int k) {
        return costs.nanos(k, k);
    }
}
