package dev.hearth.llama.engine;

import java.time.Duration;

/**
 * Figures of one engine request.
 *
 * @param queueWait          from submission to getting a slot
 * @param timeToFirstToken   from submission to the first generated token
 * @param promptTokens       tokens of the prompt
 * @param cachedPromptTokens of those, tokens reused from the slot's KV cache (not evaluated again)
 * @param generatedTokens    tokens generated
 * @param decodeTime         from the first generated token to the last
 */
public record RequestStats(Duration queueWait, Duration timeToFirstToken, int promptTokens, int cachedPromptTokens,
        int generatedTokens, Duration decodeTime) {
    /** Prompt tokens that were evaluated. */
    public int evaluatedPromptTokens() {
        return promptTokens - cachedPromptTokens;
    }

    public double decodeTokensPerSecond() {
        long nanos = decodeTime.toNanos();
        return nanos == 0 ? 0 : Math.max(0, generatedTokens - 1) * 1e9 / nanos;
    }
}
