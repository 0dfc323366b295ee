package dev.hearth.host;

import dev.hearth.api.spi.MemoryEstimate;
import java.nio.file.Path;

/**
 * The memory a model needs for a number of GPU layers: from its backend (which knows its format), or injected so that
 * placement tables use round numbers.
 */
public interface Estimator {
    int layers(ModelSpec spec);

    MemoryEstimate estimate(ModelSpec spec, int gpuLayers);
}
