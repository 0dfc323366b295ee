package dev.hearth.api.spi;

/**
 * How a local model a user named by its file runs beyond what a chat request says; a backend applies what it has.
 *
 * @param template   a Jinja chat template to use instead of the model's (null: the model's)
 * @param topK       top-k sampling (0: off)
 * @param seed       sampling seed
 * @param ignoreEos  keep generating past end-of-generation tokens, up to the request's max tokens
 */
public record LocalTuning(String template, int topK, long seed, boolean ignoreEos) {
    /** Nothing changed: the request and the model's own defaults decide. */
    public static final LocalTuning NONE = new LocalTuning(null, -1, -1, false);

    public LocalTuning {
        if (topK < -1) {
            throw new IllegalArgumentException("top-k must be 0 (off) or more, not " + topK);
        }
    }

    /** Whether sampling knobs were set (NONE leaves the backend's defaults). */
    public boolean setsSampling() {
        return topK >= 0;
    }
}
