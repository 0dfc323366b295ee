package dev.hearth.api.spi;

/**
 * What a loaded model will take in memory, split by device: its weights, its KV cache (or whatever state it keeps per
 * token), its compute buffers and its output buffer. A backend computes it from its own format's metadata; the model
 * host schedules with it and knows no format.
 *
 * @param gpuWeights  weight bytes on the GPU
 * @param cpuWeights  weight bytes in RAM (mapped file and repacked copies)
 * @param gpuKv       KV cache bytes on the GPU
 * @param cpuKv       KV cache bytes in RAM
 * @param gpuCompute  compute buffer on the GPU
 * @param cpuCompute  compute buffer in RAM
 * @param output      the output buffer (in RAM)
 */
public record MemoryEstimate(long gpuWeights, long cpuWeights, long gpuKv, long cpuKv, long gpuCompute, long cpuCompute,
        long output) {
    public MemoryEstimate {
        if (gpuWeights < 0 || cpuWeights < 0 || gpuKv < 0 || cpuKv < 0 || gpuCompute < 0 || cpuCompute < 0
                || output < 0) {
            throw new IllegalArgumentException("a memory estimate has no negative parts");
        }
    }

    /** Everything in RAM, nothing on a GPU. */
    public static MemoryEstimate cpuOnly(long weights, long state, long compute) {
        return new MemoryEstimate(0, weights, 0, state, 0, compute, 0);
    }

    public long gpu() {
        return gpuWeights + gpuKv + gpuCompute;
    }

    public long cpu() {
        return cpuWeights + cpuKv + cpuCompute + output;
    }

    public long total() {
        return gpu() + cpu();
    }

    /** Both together (a model and the draft model loaded beside it). */
    public MemoryEstimate plus(MemoryEstimate o) {
        return new MemoryEstimate(gpuWeights + o.gpuWeights, cpuWeights + o.cpuWeights, gpuKv + o.gpuKv,
                cpuKv + o.cpuKv, gpuCompute + o.gpuCompute, cpuCompute + o.cpuCompute, output + o.output);
    }
}
