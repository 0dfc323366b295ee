package dev.hearth.host;

import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;

/** Loads a model with its serving engine (sized by the spec's context and slots); unloading stops the engine first. */
public final class EngineLoader implements ModelLoader {
    /** A loaded model and the engine that serves it. */
    public record Served(LlamaModel model, LlamaEngine engine) implements Loaded {
        @Override
        public void close() {
            engine.close();
            model.close();
        }
    }

    @Override
    public Loaded load(ModelSpec spec, Placement placement) {
        LlamaModel model = LlamaModel.load(spec.path(), ModelParams.defaults().withGpuLayers(placement.gpuLayers()));
        try {
            EstimateParams p = spec.params();
            return new Served(model, LlamaEngine.start(model, EngineParams.defaults().withParallel(p.parallel())
                    .withContextSize(Math.max(256, p.contextSize())).withBatchSize(Math.max(p.microBatch(), 64))));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
