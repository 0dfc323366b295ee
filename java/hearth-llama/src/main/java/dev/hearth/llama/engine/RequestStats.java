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
 * @param draftedTokens      tokens drafted ahead by speculative decoding (0 when it did not speculate)
 * @param acceptedDraftTokens of those, tokens the model's own picks confirmed (each saved one decode step)
 */
public record RequestStats(Duration queueWait, Duration timeToFirstToken, int promptTokens, int cachedPromptTokens,
        int generatedTokens, Duration decodeTime, int draftedTokens, int acceptedDraftTokens) {
    /** Prompt tokens that were evaluated. */
    public int evaluatedPromptTokens() {
        return promptTokens - cachedPromptTokens;
    }

    /** Accepted over drafted tokens; 0 when nothing was drafted. */
    public double draftAcceptance() {
        return draftedTokens == 0 ? 0 : (double) acceptedDraftTokens / draftedTokens;
    }

    public double decodeTokensPerSecond() {
        long nanos = decodeTime.toNanos();
        return nanos == 0 ? 0 : Math.max(0, generatedTokens - 1) * 1e9 / nanos;
    }
}
