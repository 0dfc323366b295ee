package dev.hearth.api;

/**
 * Tokens one call used, split the way vendors bill them. Each input token is in exactly one of the three input
 * counts, so {@link #totalInputTokens()} is what the model read.
 *
 * @param inputTokens      input tokens billed at the base rate (not read from or written to a prompt cache)
 * @param outputTokens     generated tokens, reasoning included
 * @param cacheReadTokens  input tokens read from the vendor's prompt cache (cache hits)
 * @param cacheWriteTokens input tokens written to the prompt cache (Anthropic's cache creation)
 * @param reasoningTokens  of the output tokens, those spent on reasoning, where the vendor says
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
        long reasoningTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public long totalInputTokens() {
        return inputTokens + cacheReadTokens + cacheWriteTokens;
    }

    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens, cacheWriteTokens + o.cacheWriteTokens,
                reasoningTokens + o.reasoningTokens);
    }
}
