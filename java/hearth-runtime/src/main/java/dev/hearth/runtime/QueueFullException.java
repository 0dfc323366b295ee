package dev.hearth.runtime;

import dev.hearth.api.ModelUnavailableException;

/** Too many requests already wait for a local model's slots: try again shortly (the server answers 503). */
public final class QueueFullException extends ModelUnavailableException {
    public QueueFullException(String model, int waiting) {
        super(waiting + " requests are already waiting for " + model + "; try again in a few seconds, or give it more"
                + " slots (a larger context) or another model");
    }
}
