package dev.hearth.llama.engine;

import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.Speculation;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.internal.NativeBatch;
import java.lang.foreign.MemorySegment;

/**
 * Verifies a slot's drafted tokens after the batch that held them was decoded: the request's own sampler picks a
 * token from the logits at each place in turn, exactly as one-token steps would, and a draft is kept only while
 * it equals that pick. The first pick that differs becomes the next pending token; the KV cells of the drafts after
 * it are removed. Owned by the engine's scheduler loop; not thread-safe.
 */
final class Speculative {
    /** Samples the next token of a request from the logits at a batch index (the engine's one way to sample). */
    @FunctionalInterface
    interface Sampling {
        void sampleNext(EngineJob job, int batchIndex);
    }

    private final Slots slots;
    private final NativeBatch batch;
    private final MemorySegment memory;
    private final Sampling sampling;
    private final DraftModel draftModel; // null: the engine has none
    private final java.util.concurrent.atomic.AtomicLong drafted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();

    Speculative(Slots slots, NativeBatch batch, MemorySegment memory, Sampling sampling, DraftModel draftModel) {
        this.draftModel = draftModel;
        this.slots = slots;
        this.batch = batch;
        this.memory = memory;
        this.sampling = sampling;
    }

    /**
     * The drafter of a request in {@code slot}, or null when it does not speculate.
     *
     * @throws IllegalArgumentException the request asks for a draft model and the engine has none
     */
    Drafter drafter(GenerationParams params, int[] prompt, int slot) {
        Speculation s = params.speculation();
        if (s.isOff()) {
            return null;
        }
        check(params);
        return new Drafter(s, prompt, slot, s.mode() == Speculation.Mode.DRAFT_MODEL ? draftModel : null);
    }

    /**
     * Refuses, before anything runs, a request this engine cannot speculate for.
     *
     * @throws IllegalArgumentException it asks for a draft model and the engine has none
     */
    void check(GenerationParams params) {
        if (params.speculation().mode() == Speculation.Mode.DRAFT_MODEL && draftModel == null) {
            throw new IllegalArgumentException("the request asks for speculation with a draft model, but the engine"
                    + " serving this model has none; give it one (draft_model in the model's [[model]] in"
                    + " hearth.toml: a smaller model with the same vocabulary), or ask for auto or prompt-lookup");
        }
    }

    /**
     * Takes the pending token at batch index {@code first} and the drafts after it; returns the index after them.
     * The job may end on the way (a stop, end of generation, maxTokens): what its slot keeps is then what was read.
     */
    int verify(EngineJob job, int slot, int first) {
        int[] draft = job.drafter.current();
        int pos = job.fed + job.generatedCount() - 1; // the pending token's position
        int kept = 0;
        boolean confirmedLast;
        do {
            slots.append(slot, batch.token(first + kept)); // read by the decode: now in the slot's KV cache
            job.pending = -1;
            sampling.sampleNext(job, first + kept);
            kept++;
            confirmedLast = kept <= draft.length && job.drafter.last() == draft[kept - 1];
        } while (confirmedLast && job.pending >= 0);
        // confirmed drafts: the kept ones after the pending token, and the last pick if it matched as the job ended
        int confirmed = kept - 1 + (confirmedLast ? 1 : 0);
        job.drafter.verified(confirmed);
        drafted.addAndGet(draft.length);
        accepted.addAndGet(confirmed);
        if (kept <= draft.length) { // the cells of drafts that were not read
            removeFrom(slot, pos + kept);
        }
        return first + 1 + draft.length;
    }

    /** Tokens drafted and accepted since the engine started: {drafted, accepted}; any thread. */
    long[] totals() {
        return new long[] {drafted.get(), accepted.get()};
    }

    private void removeFrom(int slot, int position) {
        try {
            boolean removed = (boolean) LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, position, -1);
            if (!removed) {
                throw new IllegalStateException("llama.cpp refused to remove the rejected drafts of slot " + slot);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
