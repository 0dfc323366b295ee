package dev.hearth.router;

import dev.hearth.api.HearthException;

/**
 * What one model of a fallback chain failed with, before the chain moved on: attached (suppressed) to the exception
 * of the chain's last model, so that a caller can show every model's error, not only the last one's.
 */
public final class ModelFailedException extends HearthException {
    private final String model;

    public ModelFailedException(String model, RuntimeException cause) {
        super(model + ": " + cause.getMessage(), cause);
        this.model = model;
    }

    /** The model's id. */
    public String model() {
        return model;
    }
}
