package dev.hearth.host;

import dev.hearth.api.spi.MemoryEstimate;
/**
 * Where a model goes.
 *
 * @param device     "cuda:N" when layers are offloaded, else "cpu"
 * @param gpuLayers  layers on the GPU (0 on CPU; above the layer count, the output layer too)
 * @param estimate   the memory it takes, by device
 */
public record Placement(String device, int gpuLayers, MemoryEstimate estimate) {
}
