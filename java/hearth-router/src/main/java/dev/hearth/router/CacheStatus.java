package dev.hearth.router;

import java.util.Locale;

/**
 * What the response cache did for one call: answered it ({@link #HIT}: no model was called), looked and found nothing
 * ({@link #MISS}: a model answered, and its answer is kept), or was not consulted ({@link #BYPASS}: the caller asked
 * for a fresh answer, the request is not cacheable — not deterministic and not opted in — or the cache is off).
 */
public enum CacheStatus {
    HIT, MISS, BYPASS;

    /** The word a face shows ({@code hit}, {@code miss}, {@code bypass}; the server's {@code x-hearth-cache}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
