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
    DEADLINE
}
