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

    private final int threads;

    /** Engines on every core. */
    public EngineLoader() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Engines on {@code threads} CPU threads. */
    public EngineLoader(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("an engine needs at least one thread, not " + threads);
        }
        this.threads = threads;
    }

    @Override
    public Loaded load(ModelSpec spec, Placement placement) {
        LlamaModel model = LlamaModel.load(spec.path(), ModelParams.defaults().withGpuLayers(placement.gpuLayers()));
        try {
            EstimateParams p = spec.params();
            return new Served(model, LlamaEngine.start(model, EngineParams.defaults().withParallel(p.parallel())
                    .withContextSize(Math.max(256, p.contextSize())).withBatchSize(Math.max(p.microBatch(), 64))
                    .withKvCacheType(p.kvCacheType()).withThreads(threads)));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
