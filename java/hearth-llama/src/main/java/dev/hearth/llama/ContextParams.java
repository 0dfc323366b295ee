package dev.hearth.llama;

import dev.hearth.api.spi.KvCacheType;

/**
 * How to create a context ({@code llama_context_params}).
 *
 * @param contextSize   tokens the context holds; 0 means the model's training context (capped at 8192)
 * @param batchSize     most tokens one decode call takes; prompts are fed in chunks of this size
 * @param microBatch    physical batch size (at most batchSize)
 * @param threads       threads for generating one token at a time
 * @param batchThreads  threads for prompt processing
 */
public record ContextParams(int contextSize, int batchSize, int microBatch, int threads, int batchThreads,
        KvCacheType kvCacheType) {
    /** The cap applied when contextSize is 0: training contexts of 128k would allocate gigabytes of KV cache. */
    public static final int DEFAULT_CONTEXT_CAP = 8192;

    public ContextParams {
        if (contextSize < 0) {
            throw new IllegalArgumentException("contextSize must be >= 0 (0 = from the model), not " + contextSize);
        }
        if (batchSize < 1 || microBatch < 1 || microBatch > batchSize) {
            throw new IllegalArgumentException("need 1 <= microBatch <= batchSize, got microBatch " + microBatch
                    + " and batchSize " + batchSize);
        }
        if (threads < 1 || batchThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        java.util.Objects.requireNonNull(kvCacheType, "kvCacheType");
    }

    public ContextParams(int contextSize, int batchSize, int microBatch, int threads, int batchThreads) {
        this(contextSize, batchSize, microBatch, threads, batchThreads, KvCacheType.F16);
    }

    public static ContextParams defaults() {
        int cores = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 16));
        return new ContextParams(4096, 512, 512, cores, cores);
    }

    public ContextParams withContextSize(int size) {
        return new ContextParams(size, batchSize, microBatch, threads, batchThreads, kvCacheType);
    }

    public ContextParams withBatchSize(int size) {
        return new ContextParams(contextSize, size, Math.min(microBatch, size), threads, batchThreads, kvCacheType);
    }

    public ContextParams withMicroBatch(int size) {
        return new ContextParams(contextSize, batchSize, size, threads, batchThreads, kvCacheType);
    }

    public ContextParams withThreads(int n) {
        return new ContextParams(contextSize, batchSize, microBatch, n, n, kvCacheType);
    }

    /** The KV cache's element type (f16 by default; q8_0 or q4_0 to hold more tokens in the same memory). */
    public ContextParams withKvCacheType(KvCacheType type) {
        return new ContextParams(contextSize, batchSize, microBatch, threads, batchThreads, type);
    }
}
