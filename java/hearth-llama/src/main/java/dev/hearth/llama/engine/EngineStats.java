package dev.hearth.llama.engine;

/**
 * A snapshot of an engine.
 *
 * @param slots       sequence slots
 * @param busySlots   slots serving a request
 * @param queueDepth  requests waiting for a slot
 * @param kvCellsUsed KV cache cells holding tokens (the slots' prefix caches included)
 * @param completed   requests that ended (with a result or an error) since the start
 * @param draftedTokens       tokens drafted by speculative decoding since the start
 * @param acceptedDraftTokens of those, tokens the model's own picks confirmed
 */
public record EngineStats(int slots, int busySlots, int queueDepth, long kvCellsUsed, long completed,
        long draftedTokens, long acceptedDraftTokens) {
}
