package dev.hearth.llama.ffi;

/** Helpers for invoking downcall handles, whose signature declares Throwable. */
public final class NativeCalls {
    private NativeCalls() {
    }

    /**
     * For constructors that fail half-way: closes the arena holding what was allocated so far (if still open) and
     * returns the failure to throw, unchecked.
     */
    public static RuntimeException closeAndRethrow(java.lang.foreign.Arena arena, Throwable failure) {
        if (arena.scope().isAlive()) {
            arena.close();
        }
        return rethrow(failure);
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
