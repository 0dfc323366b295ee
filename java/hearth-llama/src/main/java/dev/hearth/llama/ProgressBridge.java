package dev.hearth.llama;

import dev.hearth.llama.ffi.LlamaC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The model-load progress upcall: forwards to the user's {@link LoadProgress}, turns its {@code false} into a
 * cancelled load, and keeps (instead of throwing across native frames) any exception it throws.
 */
final class ProgressBridge {
    private final LoadProgress progress;
    private volatile boolean cancelled;
    private volatile Throwable failure;

    ProgressBridge(LoadProgress progress) {
        this.progress = progress;
    }

    MemorySegment stub(Arena arena) throws ReflectiveOperationException {
        var target = MethodHandles.lookup().findVirtual(ProgressBridge.class, "onProgress",
                MethodType.methodType(boolean.class, float.class, MemorySegment.class)).bindTo(this);
        return LlamaC.upcall(target, LlamaC.PROGRESS_CALLBACK, arena);
    }

    private boolean onProgress(float fraction, MemorySegment userData) {
        try {
            boolean go = progress.onProgress(fraction);
            cancelled |= !go;
            return go;
        } catch (Throwable t) {
            failure = t;
            cancelled = true;
            return false;
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new ModelLoadException("the progress callback failed: " + t);
        }
    }
}
