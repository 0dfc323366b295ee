package dev.hearth.llama;

/** llama.cpp refused to load a model that passed Hearth's own checks, or the load was cancelled. */
public final class ModelLoadException extends LlamaException {
    public ModelLoadException(String message) {
        super(message);
    }
}
