package dev.hearth.api.spi;


/**
 * What a memory estimate is for: the context a model will be run with and where its layers go.
 *
 * @param contextSize  KV cells in all (shared by the parallel slots)
 * @param parallel     sequences decoded together (each needs its output row)
 * @param kvCacheType  the KV cache's element type
 * @param microBatch   tokens per decode step (llama.cpp's n_ubatch), which sizes the compute buffer
 * @param gpuLayers    layers offloaded to the GPU (the last ones, as llama.cpp does); above the layer count the
 *                     output layer goes too
 * @param cpuRepack    whether llama.cpp repacks quantized matrices on the CPU into an extra buffer (its default)
 */
public record EstimateParams(int contextSize, int parallel, KvCacheType kvCacheType, int microBatch, int gpuLayers,
        boolean cpuRepack) {
    public EstimateParams {
        if (contextSize < 1 || parallel < 1 || microBatch < 1 || gpuLayers < 0) {
            throw new IllegalArgumentException("need contextSize, parallel, microBatch >= 1 and gpuLayers >= 0");
        }
        java.util.Objects.requireNonNull(kvCacheType, "kvCacheType");
    }

    public static EstimateParams cpu(int contextSize) {
        return new EstimateParams(contextSize, 1, KvCacheType.F16, 512, 0, true);
    }

    public EstimateParams withParallel(int n) {
        return new EstimateParams(contextSize, n, kvCacheType, microBatch, gpuLayers, cpuRepack);
    }

    public EstimateParams withKvCacheType(KvCacheType t) {
        return new EstimateParams(contextSize, parallel, t, microBatch, gpuLayers, cpuRepack);
    }

    public EstimateParams withMicroBatch(int n) {
        return new EstimateParams(contextSize, parallel, kvCacheType, n, gpuLayers, cpuRepack);
    }

    public EstimateParams withGpuLayers(int n) {
        return new EstimateParams(contextSize, parallel, kvCacheType, microBatch, n, cpuRepack);
    }

    public EstimateParams withCpuRepack(boolean repack) {
        return new EstimateParams(contextSize, parallel, kvCacheType, microBatch, gpuLayers, repack);
    }
}
