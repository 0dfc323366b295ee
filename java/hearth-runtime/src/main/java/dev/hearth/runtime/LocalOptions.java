package dev.hearth.runtime;

import dev.hearth.api.spi.LocalTuning;
import java.util.Map;

/**
 * How a local GGUF model a user named by its file or cache name runs, beyond what a chat request says: its context,
 * a chat template of the user's own, and the sampling knobs a request has no field for.
 *
 * @param contextSize tokens of context (0: {@link #DEFAULT_CONTEXT})
 * @param template    a Jinja chat template to use instead of the model's (null: the model's)
 * @param topK        top-k sampling (0: off)
 * @param seed        sampling seed
 * @param ignoreEos   keep generating past end-of-generation tokens, up to the request's max tokens
 */
public record LocalOptions(int contextSize, String template, int topK, long seed, boolean ignoreEos) {
    /** The context of a local model when nothing sets one. */
    public static final int DEFAULT_CONTEXT = 8192;

    public LocalOptions {
        if (contextSize < 0 || contextSize > 1 << 20) {
            throw new IllegalArgumentException("the context size must be 0 (the default) to 1048576 tokens, not "
                    + contextSize);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be 0 (off) or more, not " + topK);
        }
    }

    public static LocalOptions defaults() {
        return new LocalOptions(0, null, 40, 0, false);
    }

    /** What the backend changes in each request for this model. */
    public LocalTuning tuning() {
        return new LocalTuning(template, topK, seed, ignoreEos);
    }

    /** CPU threads for local models: HEARTH_THREADS, else every core. */
    static int threads(Map<String, String> env) {
        String set = env.get("HEARTH_THREADS");
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (set == null || set.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(set.strip());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalArgumentException("HEARTH_THREADS must be a whole number of threads from 1 to 1024, not \""
                + set + "\"");
    }
}
