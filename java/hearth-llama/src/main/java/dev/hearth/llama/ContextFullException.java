package dev.hearth.llama;

/** The KV cache has no room for a batch (llama_decode status 1). Retryable with a smaller batch or larger context. */
public final class ContextFullException extends LlamaException {
    public ContextFullException(String message) {
        super(message);
    }
}
