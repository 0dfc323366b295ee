package dev.hearth.host;

import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;

/** Loads GGUF models through llama.cpp with the layers the host placed on the GPU. */
public final class LlamaModelLoader implements ModelLoader {
    /** A model loaded by llama.cpp. */
    public record Llama(LlamaModel model) implements Loaded {
        @Override
        public void close() {
            model.close();
        }
    }

    private final ModelParams base;

    /** Loads with llama.cpp's defaults (mmap where it can). */
    public LlamaModelLoader() {
        this(ModelParams.defaults());
    }

    /** Loads with {@code base} (load mode, extra buffers, progress), the GPU layers set by the placement. */
    public LlamaModelLoader(ModelParams base) {
        this.base = base;
    }

    @Override
    public Loaded load(ModelSpec spec, Placement placement) {
        return new Llama(LlamaModel.load(spec.path(), base.withGpuLayers(placement.gpuLayers())));
    }
}
