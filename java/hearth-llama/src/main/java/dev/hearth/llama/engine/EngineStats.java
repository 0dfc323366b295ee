package dev.hearth.llama.engine;

/**
 * A snapshot of an engine.
 *
 * @param slots       sequence slots
 * @param busySlots   slots serving a request
 * @param queueDepth  requests waiting for a slot
 * @param kvCellsUsed KV cache cells holding tokens (the slots' prefix caches included)
 * @param completed   requests that ended (with a result or an error) since the start
 * @param promptTokens       prompt tokens of the requests given a slot since the start
 * @param reusedPromptTokens of those, tokens a slot's prefix cache held already (not evaluated again)
 * @param draftedTokens       tokens drafted by speculative decoding since the start
 * @param acceptedDraftTokens of those, tokens the model's own picks confirmed
 */
public record EngineStats(int slots, int busySlots, int queueDepth, long kvCellsUsed, long completed,
        long promptTokens, long reusedPromptTokens, long draftedTokens, long acceptedDraftTokens) {
}
