package dev.hearth.llama;

import java.time.Duration;

/**
 * The outcome of a generation.
 *
 * @param text             the generated text, without the stop sequence
 * @param finishReason     why it ended
 * @param promptTokens     tokens of the prompt
 * @param generatedTokens  tokens generated (including one that completed a stop sequence)
 * @param prefillTime      time to process the prompt
 * @param decodeTime       time from the first generated token to the end
 */
public record GenerationResult(String text, FinishReason finishReason, int promptTokens, int generatedTokens,
        Duration prefillTime, Duration decodeTime) {

    /** Prompt tokens per second. */
    public double prefillTokensPerSecond() {
        return perSecond(promptTokens, prefillTime);
    }

    /** Generated tokens per second. */
    public double decodeTokensPerSecond() {
        return perSecond(generatedTokens, decodeTime);
    }

    private static double perSecond(int tokens, Duration time) {
        long nanos = time.toNanos();
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }
}
