package dev.hearth.llama;

import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The logits a plain single-sequence context computes after a token sequence: the reference for engine tests. */
public final class TestLogits {
    private TestLogits() {
    }

    /** The next-token logits after {@code tokens}, decoded from an empty cache in batches of the context's size. */
    public static float[] after(LlamaContext ctx, int[] tokens) {
        ctx.clearMemory();
        int batch = ctx.batchSize();
        for (int from = 0; from < tokens.length; from += batch) {
            int count = Math.min(batch, tokens.length - from);
            ctx.decode(tokens, from, count, from, from + count == tokens.length, false);
        }
        try {
            MemorySegment logits = (MemorySegment) LlamaC.llama_get_logits_ith.invokeExact(ctx.handle(), -1);
            return logits.reinterpret((long) ctx.model().nVocab() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
