package dev.hearth.runtime;

/**
 * How one call uses the response cache ({@link CallOptions#cache()}). Whatever the mode, {@code HEARTH_CACHE=off}
 * turns the cache off, and only a model's own answer (no fallback taken, not refused or cut off) is kept.
 */
public enum CacheMode {
    /**
     * A deterministic request (temperature 0, or a seed) is answered from the cache when an identical one was answered
     * before, else by the model, and its answer kept; others are not cached. An agent named in
     * {@code HEARTH_CACHE_SEMANTIC} also reuses the answer of a similar request (see {@link #SEMANTIC}).
     */
    DEFAULT,
    /** As {@link #DEFAULT}, and a request that is not deterministic is cached too: the caller accepts a repeat. */
    OPT_IN,
    /**
     * As {@link #OPT_IN}, and the answer of a similar earlier request is reused: one to the same model with the same
     * system prompt, tools and earlier turns whose last message is within {@code HEARTH_CACHE_SIMILARITY} (cosine of
     * the local embedder's vectors, 0.95 by default) of this one's.
     */
    SEMANTIC,
    /**
     * The cache is not read: the model answers (HTTP's {@code Cache-Control: no-cache}), and its answer replaces the
     * kept one where {@link #DEFAULT} would keep it.
     */
    BYPASS
}
