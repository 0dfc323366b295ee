package dev.hearth.api;

import java.util.List;

/**
 * Something that turns texts into vectors: a local ONNX embedder, a llama.cpp embedding model, later a remote one.
 * The router and the server's {@code /v1/embeddings} see nothing else. Implementations are thread-safe.
 */
public interface EmbeddingBackend {
    /** A short name for logs and the ledger ("local:all-MiniLM-L6-v2"). */
    String name();

    /** The vectors' width. */
    int dimensions();

    /** One L2-normalised vector per text, in order. */
    List<float[]> embed(List<String> texts);

    /**
     * A vector, whether its text was cut to the model's length first, and how many tokens of it the model read (0
     * where the backend cannot tell).
     */
    record Embedded(float[] vector, boolean truncated, int tokens) {
    }

    /** As {@link #embed}, saying which texts were cut to fit (a backend that cannot tell says none, and 0 tokens). */
    default List<Embedded> embedAll(List<String> texts) {
        return embed(texts).stream().map(v -> new Embedded(v, false, 0)).toList();
    }

    /** The cosine similarity of two vectors of the same width (their dot product, for L2-normalised ones). */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
