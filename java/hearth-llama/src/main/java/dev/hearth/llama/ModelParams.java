package dev.hearth.llama;

import java.util.Objects;

/**
 * How to load a model ({@code llama_model_params}).
 *
 * @param gpuLayers     layers to offload to a GPU; -1 means all, 0 keeps the model on the CPU
 * @param loadMode      how the weights are read
 * @param checkTensors  validate the tensor data (NaN/Inf) while loading: slower, for untrusted files
 * @param extraBuffers  let llama.cpp repack weights for this CPU (AMX, AVX-512 layouts); much faster on CPU
 * @param progress      progress callback that can cancel the load
 * @param vocabOnly     load only the vocabulary ({@code vocab_only}): tokenize, detokenize and chat templates work,
 *                      contexts (generation, embeddings) are refused; accepts a vocabulary-only GGUF
 */
public record ModelParams(int gpuLayers, LoadMode loadMode, boolean checkTensors, boolean extraBuffers,
        LoadProgress progress, boolean vocabOnly) {
    public ModelParams {
        if (gpuLayers < -1) {
            throw new IllegalArgumentException("gpuLayers must be -1 (all), 0 (none) or a layer count, not " + gpuLayers);
        }
        Objects.requireNonNull(loadMode, "loadMode");
        Objects.requireNonNull(progress, "progress");
    }

    public static ModelParams defaults() {
        return new ModelParams(-1, LoadMode.AUTO, false, true, LoadProgress.none(), false);
    }

    public ModelParams withGpuLayers(int layers) {
        return new ModelParams(layers, loadMode, checkTensors, extraBuffers, progress, vocabOnly);
    }

    public ModelParams withLoadMode(LoadMode mode) {
        return new ModelParams(gpuLayers, mode, checkTensors, extraBuffers, progress, vocabOnly);
    }

    public ModelParams withCheckTensors(boolean check) {
        return new ModelParams(gpuLayers, loadMode, check, extraBuffers, progress, vocabOnly);
    }

    public ModelParams withExtraBuffers(boolean extra) {
        return new ModelParams(gpuLayers, loadMode, checkTensors, extra, progress, vocabOnly);
    }

    public ModelParams withProgress(LoadProgress callback) {
        return new ModelParams(gpuLayers, loadMode, checkTensors, extraBuffers, callback, vocabOnly);
    }

    public ModelParams withVocabOnly(boolean only) {
        return new ModelParams(gpuLayers, loadMode, checkTensors, extraBuffers, progress, only);
    }
}
