package dev.hearth.llama;

import dev.hearth.api.HearthException;

/** llama.cpp reported a failure (a status code or a null handle), translated in one place: {@code Status}. */
public class LlamaException extends HearthException {
    public LlamaException(String message) {
        super(message);
    }

    public LlamaException(String message, Throwable cause) {
        super(message, cause);
    }
}
