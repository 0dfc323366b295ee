package dev.hearth.host;


/** The host's queue is full: try again shortly (the server answers 503 with Retry-After). */
public final class HostBusyException extends dev.hearth.api.ModelUnavailableException {
    public HostBusyException(int queued) {
        super("the model host is busy: " + queued + " requests are waiting to load models; try again shortly");
    }
}
