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
 * @param decodeTime       time from the first generated token to the last
 * @param tokens           the generated token ids, in order
 * @param timeToFirstToken from the start of prompt processing to the first generated token
 * @param draftedTokens    tokens speculative decoding drafted ahead (0 when it did not speculate)
 * @param acceptedDraftTokens of those, tokens the model's own picks confirmed
 */
public record GenerationResult(String text, FinishReason finishReason, int promptTokens, int generatedTokens,
        Duration prefillTime, Duration decodeTime, int[] tokens, Duration timeToFirstToken, int draftedTokens,
        int acceptedDraftTokens) {
    public GenerationResult {
        tokens = tokens.clone();
    }

    /** A generation that drafted nothing. */
    public GenerationResult(String text, FinishReason finishReason, int promptTokens, int generatedTokens,
            Duration prefillTime, Duration decodeTime, int[] tokens, Duration timeToFirstToken) {
        this(text, finishReason, promptTokens, generatedTokens, prefillTime, decodeTime, tokens, timeToFirstToken, 0,
                0);
    }

    /** The same outcome, ended for another reason. */
    public GenerationResult withFinishReason(FinishReason reason) {
        return new GenerationResult(text, reason, promptTokens, generatedTokens, prefillTime, decodeTime, tokens,
                timeToFirstToken, draftedTokens, acceptedDraftTokens);
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationResult r && text.equals(r.text) && finishReason == r.finishReason
                && promptTokens == r.promptTokens && generatedTokens == r.generatedTokens
                && java.util.Arrays.equals(tokens, r.tokens);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + java.util.Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "GenerationResult[" + finishReason + ", " + promptTokens + " prompt + " + generatedTokens
                + " generated tokens, text=" + text + "]";
    }

    /** Prompt tokens per second. */
    public double prefillTokensPerSecond() {
        return perSecond(promptTokens, prefillTime);
    }

    /** Generated tokens per second: the tokens decoded after the first one, over {@link #decodeTime()}. */
    public double decodeTokensPerSecond() {
        return perSecond(Math.max(0, generatedTokens - 1), decodeTime);
    }

    private static double perSecond(int tokens, Duration time) {
        long nanos = time.toNanos();
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }
}
