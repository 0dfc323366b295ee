package dev.hearth.llama.engine;

import dev.hearth.llama.ContextParams;
import dev.hearth.api.spi.KvCacheType;


/**
 * How a {@link LlamaEngine} serves one model.
 *
 * @param parallel      sequence slots (requests decoded together); 0 chooses from the context size
 * @param contextSize   tokens of KV cache in all, split evenly between the slots
 * @param batchSize     most tokens one decode step takes, across all slots
 * @param prefillChunk  most prompt tokens one slot feeds per step, so a long prompt does not stall the others
 * @param queueCapacity requests that may wait for a slot: with {@code slots() + queueCapacity} requests admitted and
 *                      unfinished, the next is refused at once ({@link EngineBusyException})
 * @param threads       CPU threads
 * @param kvCacheType   the type of the KV cache's cells (a quantized cache holds more tokens in the same memory)
 */
public record EngineParams(int parallel, int contextSize, int batchSize, int prefillChunk, int queueCapacity,
        int threads, KvCacheType kvCacheType) {
    public EngineParams {
        java.util.Objects.requireNonNull(kvCacheType, "kvCacheType");
        if (parallel < 0 || contextSize < 256 || batchSize < 1 || prefillChunk < 1 || queueCapacity < 0
                || threads < 1) {
            throw new IllegalArgumentException("need parallel >= 0, contextSize >= 256, batchSize, prefillChunk and"
                    + " threads >= 1, queueCapacity >= 0");
        }
    }

    public static EngineParams defaults() {
        return new EngineParams(0, 8192, 512, 256, 64, ContextParams.defaults().threads(), KvCacheType.F16);
    }

    /** The slot count: as given, or one per 2048 tokens of context (1 to 8). */
    public int slots() {
        return parallel > 0 ? parallel : Math.max(1, Math.min(8, contextSize / 2048));
    }

    public EngineParams withParallel(int n) {
        return new EngineParams(n, contextSize, batchSize, prefillChunk, queueCapacity, threads, kvCacheType);
    }

    public EngineParams withContextSize(int n) {
        return new EngineParams(parallel, n, batchSize, prefillChunk, queueCapacity, threads, kvCacheType);
    }

    public EngineParams withBatchSize(int n) {
        return new EngineParams(parallel, contextSize, n, prefillChunk, queueCapacity, threads, kvCacheType);
    }

    public EngineParams withPrefillChunk(int n) {
        return new EngineParams(parallel, contextSize, batchSize, n, queueCapacity, threads, kvCacheType);
    }

    public EngineParams withQueueCapacity(int n) {
        return new EngineParams(parallel, contextSize, batchSize, prefillChunk, n, threads, kvCacheType);
    }

    public EngineParams withThreads(int n) {
        return new EngineParams(parallel, contextSize, batchSize, prefillChunk, queueCapacity, n, kvCacheType);
    }

    public EngineParams withKvCacheType(KvCacheType type) {
        return new EngineParams(parallel, contextSize, batchSize, prefillChunk, queueCapacity, threads, type);
    }
}
