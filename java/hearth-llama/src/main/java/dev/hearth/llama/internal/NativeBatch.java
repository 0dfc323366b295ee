package dev.hearth.llama.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * A {@code llama_batch} from {@code llama_batch_init} (one sequence id per token), with typed access to its
 * arrays. Shared by every kind of context; used by one thread at a time; freed with {@link #free()}.
 */
public final class NativeBatch {
    private final MemorySegment struct;
    private final MemorySegment tokens, positions, seqCounts, seqIds, logits;
    private final int capacity;

    public NativeBatch(Arena arena, int capacity) {
        this.capacity = capacity;
        try {
            struct = (MemorySegment) LlamaC.llama_batch_init.invokeExact((SegmentAllocator) arena, capacity, 0, 1);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
        var b = Layouts.LLAMA_BATCH;
        tokens = struct.get(ADDRESS, Layouts.offset(b, "token")).reinterpret(capacity * 4L);
        positions = struct.get(ADDRESS, Layouts.offset(b, "pos")).reinterpret(capacity * 4L);
        seqCounts = struct.get(ADDRESS, Layouts.offset(b, "n_seq_id")).reinterpret(capacity * 4L);
        seqIds = struct.get(ADDRESS, Layouts.offset(b, "seq_id")).reinterpret(capacity * 8L);
        logits = struct.get(ADDRESS, Layouts.offset(b, "logits")).reinterpret(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Puts a token at index {@code i}: its position, its sequence, and whether its logits are wanted. */
    public void set(int i, int token, int pos, int seq, boolean wantLogits) {
        tokens.setAtIndex(JAVA_INT, i, token);
        positions.setAtIndex(JAVA_INT, i, pos);
        seqCounts.setAtIndex(JAVA_INT, i, 1);
        seqIds.getAtIndex(ADDRESS, i).reinterpret(4).set(JAVA_INT, 0, seq);
        logits.set(JAVA_BYTE, i, (byte) (wantLogits ? 1 : 0));
    }

    public int token(int i) {
        return tokens.getAtIndex(JAVA_INT, i);
    }

    public boolean wantsLogits(int i) {
        return logits.get(JAVA_BYTE, i) != 0;
    }

    /** The struct to pass by value to llama_decode/llama_encode, holding the first {@code count} tokens. */
    public MemorySegment of(int count) {
        struct.set(JAVA_INT, 0, count);
        return struct;
    }

    public void free() {
        try {
            LlamaC.llama_batch_free.invokeExact(struct);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Frees a context, its batch and the arena holding them: shared by every kind of context. */
    public static void freeWithContext(NativeBatch batch, MemorySegment ctx, Arena arena) {
        try {
            batch.free();
            NativeContext.free(ctx);
        } finally {
            arena.close();
        }
    }
}
