package dev.hearth.llama.engine;

import dev.hearth.api.EngineOverloadedException;
import java.time.Duration;

/**
 * Every slot is busy and {@link EngineParams#queueCapacity()} requests already wait for one; nothing was started.
 * Retry later (an HTTP server answers 503).
 */
public final class EngineBusyException extends EngineOverloadedException {
    private final int queued;

    public EngineBusyException(int queued) {
        super("the engine is busy: " + queued + " requests are already waiting for a slot; retry in a moment or"
                + " start the engine with a larger queue or more slots", Duration.ofSeconds(1));
        this.queued = queued;
    }

    public int queued() {
        return queued;
    }
}
