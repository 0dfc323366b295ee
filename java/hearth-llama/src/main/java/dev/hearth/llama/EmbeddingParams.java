package dev.hearth.llama;

import java.util.Objects;

/**
 * How to compute embeddings.
 *
 * @param batchTokens   tokens per decode (the context size; texts are packed into batches up to this)
 * @param maxSequences  texts per decode at most
 * @param threads       CPU threads
 * @param pooling       how token embeddings are pooled into one vector
 * @param normalize     scale each vector to unit length (L2)
 */
public record EmbeddingParams(int batchTokens, int maxSequences, int threads, Pooling pooling, boolean normalize) {
    public EmbeddingParams {
        if (batchTokens < 8 || maxSequences < 1 || threads < 1) {
            throw new IllegalArgumentException("need batchTokens >= 8, maxSequences >= 1, threads >= 1");
        }
        Objects.requireNonNull(pooling, "pooling");
    }

    public static EmbeddingParams defaults() {
        return new EmbeddingParams(2048, 64, ContextParams.defaults().threads(), Pooling.MODEL, true);
    }

    public EmbeddingParams withBatchTokens(int n) {
        return new EmbeddingParams(n, maxSequences, threads, pooling, normalize);
    }

    public EmbeddingParams withMaxSequences(int n) {
        return new EmbeddingParams(batchTokens, n, threads, pooling, normalize);
    }

    public EmbeddingParams withThreads(int n) {
        return new EmbeddingParams(batchTokens, maxSequences, n, pooling, normalize);
    }

    public EmbeddingParams withPooling(Pooling p) {
        return new EmbeddingParams(batchTokens, maxSequences, threads, p, normalize);
    }

    public EmbeddingParams withNormalize(boolean n) {
        return new EmbeddingParams(batchTokens, maxSequences, threads, pooling, n);
    }
}
