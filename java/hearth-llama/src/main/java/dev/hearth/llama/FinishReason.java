package dev.hearth.llama;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced an end-of-generation token. */
    END_OF_GENERATION,
    /** The output reached a stop sequence. */
    STOP_SEQUENCE,
    /** maxTokens were generated. */
    MAX_TOKENS,
    /** The context window is full. */
    CONTEXT_FULL,
    /** {@link LlamaContext#cancel()} (or an engine request's cancel) was called. */
    CANCELLED,
    /** An engine request's deadline passed. */
    DEADLINE,
    /**
     * A chat answer nested brackets deeper than Hearth parses (llama.cpp's output parser recurses once a level; see
     * Budgets.MAX_OUTPUT_NESTING), which is a model repeating itself: the answer is what was parsed before that,
     * the raw text has all of it.
     */
    NESTING_LIMIT
}
