package dev.hearth.api;

/**
 * The one check of sampling parameters, for every backend and every face: a chat request, a raw completion and the
 * CLI's options all call it, each with the name its user knows ({@code temperature}, {@code --temperature}). NaN and
 * infinities are refused like any other value out of range.
 */
public final class SamplingLimits {
    /** The most tokens one answer may ask for. */
    public static final int MAX_TOKENS = 1 << 20;

    private SamplingLimits() {
    }

    /** 0 (greedy) to 2. */
    public static double temperature(double t, String name) {
        if (!(t >= 0 && t <= 2)) {
            throw new IllegalArgumentException(name + " must be between 0 (greedy) and 2, not " + t);
        }
        return t;
    }

    /** Above 0, up to 1. */
    public static double topP(double p, String name) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be above 0 and at most 1, not " + p);
        }
        return p;
    }

    /** 0 (off) or more. */
    public static int topK(int k, String name) {
        if (k < 0) {
            throw new IllegalArgumentException(name + " must be 0 (off) or more, not " + k);
        }
        return k;
    }

    /** 1 to {@link #MAX_TOKENS}. */
    public static int maxTokens(int n, String name) {
        if (n < 1 || n > MAX_TOKENS) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_TOKENS + ", not " + n);
        }
        return n;
    }
}
