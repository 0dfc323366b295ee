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
}
