package dev.hearth.llama.ffi;

/** Helpers for invoking downcall handles, whose signature declares Throwable. */
public final class NativeCalls {
    private NativeCalls() {
    }

    /** Rethrows unchecked throwables as they are and wraps the (impossible) checked ones. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a native call", t);
    }
}
