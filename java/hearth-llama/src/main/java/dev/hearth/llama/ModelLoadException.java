package dev.hearth.llama;

/** A model load was cancelled (by its progress callback) or failed for a reason other than the file itself. */
public final class ModelLoadException extends LlamaException {
    public ModelLoadException(String message) {
        super(message);
    }
}
