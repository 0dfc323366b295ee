package dev.hearth.api;

/** Why a model stopped, in one vocabulary for every backend. */
public enum StopReason {
    /** It finished its answer. */
    END_TURN,
    /** It reached the request's max tokens. */
    MAX_TOKENS,
    /** It wrote one of the request's stop sequences. */
    STOP_SEQUENCE,
    /** It called tools and waits for their results. */
    TOOL_USE,
    /** The vendor withheld or cut the answer (content filter, refusal). */
    REFUSAL,
    /** The caller cancelled it. */
    CANCELLED,
    /** Anything else a vendor reports; the response's raw reason says what. */
    OTHER
}
