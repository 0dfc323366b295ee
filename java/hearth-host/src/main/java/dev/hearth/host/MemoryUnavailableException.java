package dev.hearth.host;


/** A device cannot hold what was asked, now or ever; the message says how much is needed and how much is free. */
public final class MemoryUnavailableException extends dev.hearth.api.ModelUnavailableException {
    private final long needed;
    private final long free;

    public MemoryUnavailableException(String message, long needed, long free) {
        super(message);
        this.needed = needed;
        this.free = free;
    }

    public long needed() {
        return needed;
    }

    public long free() {
        return free;
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
