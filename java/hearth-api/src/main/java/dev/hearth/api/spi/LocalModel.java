package dev.hearth.api.spi;

/**
 * A model on this machine before it is loaded: what it will take in memory, and how to load it. The model host calls
 * it to place the model within its budget and to load it; it knows no format, only these numbers.
 */
public interface LocalModel {
    /** Layers that could go to a GPU (0: it runs on the CPU only). */
    int layers();

    /** The memory it will take with these parameters (context, slots, KV type, GPU layers). */
    MemoryEstimate estimate(EstimateParams params);

    /**
     * What the model is, for a person (file, shape, parameters, template...), in the order to show it; a backend may
     * load the model to say it.
     */
    default java.util.SequencedMap<String, String> describe() {
        return new java.util.LinkedHashMap<>();
    }

    /** What the model's file says of it, read without loading it (architecture, layers, context...), in order. */
    default java.util.SequencedMap<String, String> metadata() {
        return new java.util.LinkedHashMap<>();
    }

    /** The context the model was trained for, in tokens (0: it does not say). */
    default int trainedContext() {
        return 0;
    }

    /** What a user should know before trusting its answers (e.g. that it is a synthetic model); empty for most. */
    default java.util.List<String> notes() {
        return java.util.List.of();
    }

    /**
     * The model's tokenizer, loaded without its weights (the caller closes it); empty for a backend that cannot load
     * one on its own.
     */
    default java.util.Optional<Tokenizer> tokenizer() {
        return java.util.Optional.empty();
    }

    /**
     * Whether the model is an embedding model (its file says so, e.g. a GGUF that declares a pooling): loaded, it
     * offers {@link LoadedModel#embedder()} and no chat. Read without loading it.
     */
    default boolean embeds() {
        return false;
    }

    /** Loads it on {@code threads} CPU threads; closing what comes back frees it. */
    LoadedModel load(EstimateParams params, int threads);
}
