package dev.hearth.onnx;

import java.util.List;

/**
 * Vectors for a list of texts, in order.
 *
 * @param vectors    one L2-normalised vector per text
 * @param truncated  per text: whether it was longer than the model reads and was cut
 * @param tokens     per text: how many tokens the model read (special tokens included, after any cut)
 */
public record EmbeddingResult(List<float[]> vectors, List<Boolean> truncated, List<Integer> tokens) {
    public EmbeddingResult {
        vectors = List.copyOf(vectors);
        truncated = List.copyOf(truncated);
        tokens = List.copyOf(tokens);
    }

    public int dimensions() {
        return vectors.isEmpty() ? 0 : vectors.getFirst().length;
    }

    /** Cosine similarity of two normalised vectors. */
    public static double cosine(float[] a, float[] b) {
        return dev.hearth.api.EmbeddingBackend.cosine(a, b);
    }
}
