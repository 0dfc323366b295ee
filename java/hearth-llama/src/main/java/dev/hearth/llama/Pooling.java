package dev.hearth.llama;

/** How token embeddings become one vector per text ({@code enum llama_pooling_type}). */
public enum Pooling {
    /** The model's own pooling (GGUF {@code <arch>.pooling_type}); mean when the model does not say. */
    MODEL(-1),
    MEAN(1),
    /** The first token's embedding (BERT-style CLS). */
    CLS(2),
    /** The last token's embedding (decoder embedders such as Qwen3-Embedding). */
    LAST(3);

    private final int value;

    Pooling(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
