package dev.hearth.llama.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.api.spi.KvCacheType;
import dev.hearth.llama.LlamaException;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.LogBridge;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place a llama.cpp context is created from Hearth's parameters (for the single-sequence context, the
 * embedding context and the engine) and freed. It counts the contexts alive, so a test can prove that a constructor
 * failing part-way frees what it created.
 */
public final class NativeContext {
    private static final AtomicInteger LIVE = new AtomicInteger();

    /** {@code LLAMA_POOLING_TYPE_UNSPECIFIED}: the model's own pooling. */
    public static final int MODEL_POOLING = -1;

    /**
     * What to ask llama.cpp for.
     *
     * @param contextSize  KV cells in all
     * @param batchSize    most tokens one decode takes
     * @param microBatch   most tokens one compute pass takes
     * @param sequences    sequences the cache holds
     * @param threads      generation threads
     * @param batchThreads prompt-processing threads
     * @param kvCacheType  the type of K and V cells
     * @param pooling      {@code enum llama_pooling_type} ({@link #MODEL_POOLING} for the model's)
     * @param embeddings   true to read embeddings instead of logits
     * @param unifiedKv    true for one cache the sequences share, false for a fixed share each
     */
    public record Settings(int contextSize, int batchSize, int microBatch, int sequences, int threads,
            int batchThreads, KvCacheType kvCacheType, int pooling, boolean embeddings, boolean unifiedKv) {
        public Settings {
            Objects.requireNonNull(kvCacheType, "kvCacheType");
        }
    }

    /** A created context and what llama.cpp made of the settings. */
    public record Created(MemorySegment ctx, int contextSize, int batchSize, MemorySegment memory) {
    }

    private NativeContext() {
    }

    /**
     * Creates a context; {@code hint} ends the error when llama.cpp refuses (say what the user can change). A quantized
     * KV cache on heads whose width is not a multiple of 32 is refused here, before native code sees it.
     */
    public static Created create(LlamaModel model, Settings s, Arena arena, String hint) {
        if (s.kvCacheType() != KvCacheType.F16 && model.nHead() > 0 && (model.nEmbd() / model.nHead()) % 32 != 0) {
            throw new IllegalArgumentException("a " + s.kvCacheType() + " KV cache needs attention heads whose width"
                    + " is a multiple of 32; this model's heads are " + model.nEmbd() / model.nHead()
                    + " wide: use KvCacheType.F16");
        }
        MemorySegment ctx = null;
        try {
            MemorySegment p = (MemorySegment) LlamaC.llama_context_default_params.invokeExact((SegmentAllocator) arena);
            var l = Layouts.LLAMA_CONTEXT_PARAMS;
            p.set(JAVA_INT, Layouts.offset(l, "n_ctx"), s.contextSize());
            p.set(JAVA_INT, Layouts.offset(l, "n_batch"), s.batchSize());
            p.set(JAVA_INT, Layouts.offset(l, "n_ubatch"), s.microBatch());
            p.set(JAVA_INT, Layouts.offset(l, "n_seq_max"), s.sequences());
            p.set(JAVA_INT, Layouts.offset(l, "n_threads"), s.threads());
            p.set(JAVA_INT, Layouts.offset(l, "n_threads_batch"), s.batchThreads());
            p.set(JAVA_INT, Layouts.offset(l, "type_k"), s.kvCacheType().ggmlType());
            p.set(JAVA_INT, Layouts.offset(l, "type_v"), s.kvCacheType().ggmlType());
            p.set(JAVA_INT, Layouts.offset(l, "pooling_type"), s.pooling());
            p.set(JAVA_BYTE, Layouts.offset(l, "embeddings"), (byte) (s.embeddings() ? 1 : 0));
            p.set(JAVA_BYTE, Layouts.offset(l, "kv_unified"), (byte) (s.unifiedKv() ? 1 : 0));
            p.set(JAVA_BYTE, Layouts.offset(l, "no_perf"), (byte) 1);
            LogBridge.clearLastError();
            MemorySegment raw = (MemorySegment) LlamaC.llama_init_from_model.invokeExact(ModelAccess.handle(model), p);
            if (raw.equals(MemorySegment.NULL)) {
                String reason = LogBridge.takeLastError();
                throw new LlamaException("llama.cpp could not create a context of " + s.contextSize() + " tokens: "
                        + (reason == null ? "no reason given" : reason) + ". " + hint);
            }
            LIVE.incrementAndGet();
            ctx = raw;
            int n = (int) LlamaC.llama_n_ctx.invokeExact(ctx);
            int batch = (int) LlamaC.llama_n_batch.invokeExact(ctx);
            MemorySegment memory = (MemorySegment) LlamaC.llama_get_memory.invokeExact(ctx);
            return new Created(ctx, n, batch, memory);
        } catch (Throwable t) {
            free(ctx);
            throw NativeCalls.rethrow(t);
        }
    }

    /** Frees a context (null does nothing). */
    public static void free(MemorySegment ctx) {
        if (ctx == null || ctx.equals(MemorySegment.NULL)) {
            return;
        }
        try {
            LlamaC.llama_free.invokeExact(ctx);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        } finally {
            LIVE.decrementAndGet();
        }
    }

    /**
     * For a constructor that failed after {@link #create}: frees the context ({@code created} null when it was not
     * made), closes the arena and returns the failure to throw.
     */
    public static RuntimeException freeAndRethrow(Created created, Arena arena, Throwable failure) {
        try {
            free(created == null ? null : created.ctx());
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
        return NativeCalls.closeAndRethrow(arena, failure);
    }

    /** Contexts created and not yet freed, in this JVM. */
    public static int live() {
        return LIVE.get();
    }
}
