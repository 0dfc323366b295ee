package dev.hearth.llama.engine;

import dev.hearth.api.HearthException;

/**
 * Every slot is busy and {@link EngineParams#queueCapacity()} requests already wait for one; nothing was started.
 * Retry later (an HTTP server answers 503).
 */
public final class EngineBusyException extends HearthException {
    private final int queued;

    public EngineBusyException(int queued) {
        super("the engine is busy: " + queued + " requests are already waiting for a slot; retry in a moment or"
                + " start the engine with a larger queue or more slots");
        this.queued = queued;
    }

    public int queued() {
        return queued;
    }
}
