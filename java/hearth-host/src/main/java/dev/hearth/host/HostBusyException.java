package dev.hearth.host;

import dev.hearth.api.HearthException;

/** The host's queue is full: try again shortly (the server answers 503 with Retry-After). */
public final class HostBusyException extends HearthException {
    public HostBusyException(int queued) {
        super("the model host is busy: " + queued + " requests are waiting to load models; try again shortly");
    }
}
