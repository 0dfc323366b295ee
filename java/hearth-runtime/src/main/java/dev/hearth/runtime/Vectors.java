package dev.hearth.runtime;

import dev.hearth.api.EmbeddingBackend;
import java.util.List;

/**
 * What {@link Hearth#embed} answers: the model that embedded the texts (as clients name it), one vector per text in
 * order with the tokens it read, and the call's id in the ledger (null when the ledger could not record it).
 */
public record Vectors(String model, List<EmbeddingBackend.Embedded> embedded, String callId) {
    /** The most texts one call may embed (OpenAI's limit; the server's wire formats take it from here). */
    public static final int MAX_TEXTS = 2048;

    public Vectors {
        embedded = List.copyOf(embedded);
    }

    /** The tokens the model read, all texts together. */
    public long inputTokens() {
        return embedded.stream().mapToLong(EmbeddingBackend.Embedded::tokens).sum();
    }

    /** The vectors alone, in order. */
    public List<float[]> vectors() {
        return embedded.stream().map(EmbeddingBackend.Embedded::vector).toList();
    }
}
