package dev.hearth.llama;

import dev.hearth.api.HearthException;

/** The llama.cpp native libraries could not be found or loaded. The message says where Hearth looked. */
public final class NativeLibraryException extends HearthException {
    public NativeLibraryException(String message) {
        super(message);
    }

    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
