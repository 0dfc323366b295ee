package dev.hearth.host;

import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The memory a model needs for a number of GPU layers; injected so that placement tables use round numbers. */
public interface Estimator {
    int layers(ModelSpec spec);

    MemoryEstimate estimate(ModelSpec spec, int gpuLayers);

    /** From the GGUF file's metadata ({@link MemoryEstimate}); each file is read once. */
    static Estimator gguf() {
        Map<Path, GgufFile> files = new ConcurrentHashMap<>();
        return new Estimator() {
            @Override
            public int layers(ModelSpec spec) {
                GgufFile f = files.computeIfAbsent(spec.path(), GgufFile::read);
                return (int) f.integer(f.architecture() + ".block_count").orElse(0);
            }

            @Override
            public MemoryEstimate estimate(ModelSpec spec, int gpuLayers) {
                return MemoryEstimate.of(files.computeIfAbsent(spec.path(), GgufFile::read),
                        spec.params().withGpuLayers(gpuLayers));
            }
        };
    }
}
