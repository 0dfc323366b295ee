package dev.hearth.llama.engine;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.hearth.api.spi.KvCacheType;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.internal.NativeBatch;
import dev.hearth.llama.internal.NativeContext;
import dev.hearth.llama.internal.Status;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A smaller model with the same vocabulary that drafts for an engine's requests: greedy tokens from its own context,
 * one sequence per engine slot, whose cache keeps what it read last time (so a step feeds only the tokens that are
 * new, and a refused draft is dropped by the next step's common prefix). Owned by the engine's scheduler loop; not
 * thread-safe; closed by the engine, before the draft model itself is closed.
 */
final class DraftModel implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx, memory;
    private final NativeBatch batch;
    private final int batchCapacity, perSlot, nVocab;
    private final int[][] cached;
    private final int[] cachedLength;

    /**
     * A draft context for {@code slots} sequences of {@code perSlot} tokens each.
     *
     * @throws IllegalArgumentException when the draft's vocabulary is not the target's
     */
    DraftModel(LlamaModel draft, LlamaModel target, int slots, int perSlot, int threads) {
        checkSameVocabulary(draft, target);
        this.nVocab = draft.nVocab();
        this.perSlot = perSlot;
        NativeContext.Created created = null; // the engine attaches itself to the draft model: closing it closes the engine
        try {
            created = NativeContext.create(draft, new NativeContext.Settings(perSlot * slots, 512, 512, slots, threads,
                    threads, KvCacheType.F16, NativeContext.MODEL_POOLING, false, false), arena,
                    "Try a smaller context or fewer slots for the draft model.");
            ctx = created.ctx();
            memory = created.memory();
            batchCapacity = created.batchSize();
            batch = new NativeBatch(arena, batchCapacity);
        } catch (Throwable t) {
            throw NativeContext.freeAndRethrow(created, arena, t);
        }
        cached = new int[slots][64];
        cachedLength = new int[slots];
    }

    /** Refuses a draft whose tokens would mean other text than the target's: the same size and the same pieces. */
    static void checkSameVocabulary(LlamaModel draft, LlamaModel target) {
        if (draft.nVocab() != target.nVocab()) {
            throw new IllegalArgumentException("the draft model " + draft.path().getFileName() + " has "
                    + draft.nVocab() + " tokens and " + target.path().getFileName() + " has " + target.nVocab()
                    + "; a draft model must share its target's vocabulary: use a smaller model of the same family");
        }
        for (int t = 0; t < target.nVocab(); t += Math.max(1, target.nVocab() / 512)) {
            if (!draft.tokenToPiece(t, true).equals(target.tokenToPiece(t, true))) {
                throw new IllegalArgumentException("token " + t + " is '" + draft.tokenToPiece(t, true)
                        + "' in the draft model and '" + target.tokenToPiece(t, true) + "' in the target; a draft model"
                        + " must share its target's vocabulary: use a smaller model of the same family");
            }
        }
    }

    /**
     * Drafts up to {@code max} greedy tokens to follow {@code history[0, length)} in sequence {@code slot}; returns
     * how many it wrote into {@code out} (fewer near the end of the slot's context).
     */
    int draft(int slot, int[] history, int length, int max, int[] out) {
        int room = perSlot - length;
        int count = Math.min(Math.min(max, out.length), room);
        if (count <= 0) {
            return 0;
        }
        try {
            // keep the common prefix, but evaluate at least the last token to get its logits
            int keep = Math.min(commonPrefix(slot, history, length), length - 1);
            boolean removed = (boolean) LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, keep, -1);
            if (!removed) {
                LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, -1, -1);
                keep = 0;
            }
            cachedLength[slot] = keep;
            for (int from = keep; from < length; from += batchCapacity) { // the new tokens, in chunks
                int n = Math.min(batchCapacity, length - from);
                for (int i = 0; i < n; i++) {
                    batch.set(i, history[from + i], from + i, slot, from + i == length - 1);
                }
                decode(n, slot, history, from);
            }
            for (int i = 0; i < count; i++) {
                out[i] = argmax(-1); // the last output: the last token fed
                if (i + 1 < count) { // the last draft's own logits are not needed
                    batch.set(0, out[i], length + i, slot, true);
                    decode(1, slot, out, i);
                }
            }
            return count;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private void decode(int n, int slot, int[] tokens, int from) throws Throwable {
        int status = (int) LlamaC.llama_decode.invokeExact(ctx, batch.of(n));
        if (status != 0) { // what the cache holds is then unknown: start the sequence over next time
            LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, -1, -1);
            cachedLength[slot] = 0;
            Status.checkDecode(status, n);
        }
        if (cachedLength[slot] + n > cached[slot].length) {
            cached[slot] = Arrays.copyOf(cached[slot], Math.max(cached[slot].length * 2, cachedLength[slot] + n));
        }
        System.arraycopy(tokens, from, cached[slot], cachedLength[slot], n);
        cachedLength[slot] += n;
    }

    private int argmax(int index) throws Throwable {
        MemorySegment logits = ((MemorySegment) LlamaC.llama_get_logits_ith.invokeExact(ctx, index))
                .reinterpret(nVocab * 4L);
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < nVocab; t++) {
            float v = logits.getAtIndex(JAVA_FLOAT, t);
            if (v > bestValue) {
                bestValue = v;
                best = t;
            }
        }
        return best;
    }

    private int commonPrefix(int slot, int[] history, int length) {
        int n = Math.min(cachedLength[slot], length);
        int i = 0;
        while (i < n && cached[slot][i] == history[i]) {
            i++;
        }
        return i;
    }

    @Override
    public void close() {
        NativeBatch.freeWithContext(batch, ctx, arena);
    }
}
