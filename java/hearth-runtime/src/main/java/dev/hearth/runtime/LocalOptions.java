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
    /** The smallest context an engine runs with. */
    public static final int MIN_CONTEXT = 256;
    /** The largest context anyone may ask for (a model's own limit is checked when it is resolved). */
    public static final int MAX_CONTEXT = 1 << 20;

    public LocalOptions {
        checkContext(contextSize, "the context size");
        dev.hearth.api.SamplingLimits.topK(topK, "top-k");
    }

    public static LocalOptions defaults() {
        return new LocalOptions(0, null, 40, 0, false);
    }

    /** What the backend changes in each request for this model. */
    public LocalTuning tuning() {
        return new LocalTuning(template, topK, seed, ignoreEos);
    }

    /**
     * CPU threads for local models: HEARTH_THREADS, else the machine's cores shared among the Hearth processes that
     * have models loaded here now (eight processes on eight cores get one each, not eight), at least one.
     */
    static int threads(Map<String, String> env, int otherProcesses) {
        int cores = cores();
        String set = env.get("HEARTH_THREADS");
        if (set == null || set.isBlank()) {
            return Math.max(1, cores / (1 + Math.max(0, otherProcesses)));
        }
        int n;
        try {
            n = Integer.parseInt(set.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HEARTH_THREADS must be a whole number of threads from 1 to " + cores
                    + " (this machine's cores), not \"" + set + "\"");
        }
        return checkThreads(n, "HEARTH_THREADS");
    }

    /** 0 (the model's default, at most {@link #DEFAULT_CONTEXT}) or {@link #MIN_CONTEXT} to {@link #MAX_CONTEXT}. */
    public static int checkContext(int n, String name) {
        if (n != 0 && (n < MIN_CONTEXT || n > MAX_CONTEXT)) {
            throw new IllegalArgumentException(name + " must be 0 (the model's default, at most " + DEFAULT_CONTEXT
                    + ") or from " + MIN_CONTEXT + " to " + MAX_CONTEXT + " tokens, not " + n);
        }
        return n;
    }

    /** 1 to the machine's cores: more only slows every token (the threads wait on each other). */
    public static int checkThreads(int n, String name) {
        int cores = cores();
        if (n < 1 || n > cores) {
            throw new IllegalArgumentException(name + " must be from 1 to " + cores + " (this machine's cores), not "
                    + n);
        }
        return n;
    }

    private static int cores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
