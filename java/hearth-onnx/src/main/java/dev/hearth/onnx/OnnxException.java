package dev.hearth.onnx;

import dev.hearth.api.HearthException;

/** An ONNX model or tokenizer could not be loaded or run; the message says which file and why. */
public final class OnnxException extends HearthException {
    private static final long serialVersionUID = 1L;

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
