package dev.hearth.host;

/**
 * One GPU as discovery sees it.
 *
 * @param index       the device index (CUDA order)
 * @param name        e.g. "NVIDIA H100 80GB HBM3"
 * @param totalBytes  its memory
 * @param freeBytes   its free memory at discovery (other processes included)
 */
public record Gpu(int index, String name, long totalBytes, long freeBytes) {
}
