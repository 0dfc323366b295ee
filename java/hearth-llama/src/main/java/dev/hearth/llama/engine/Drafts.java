package dev.hearth.llama.engine;

import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.internal.ModelAccess;

/** Opening and closing an engine's draft model context, tied to the draft model's lifetime. */
final class Drafts {
    private Drafts() {
    }

    /** A draft context; {@code engine} is attached to the draft model, so closing that model closes the engine. */
    static DraftModel open(LlamaModel draft, LlamaModel target, AutoCloseable engine, int slots, int perSlot,
            int threads) {
        ModelAccess.attach(draft, engine);
        try {
            return new DraftModel(draft, target, slots, perSlot, threads);
        } catch (RuntimeException | Error e) {
            ModelAccess.detach(draft, engine);
            throw e;
        }
    }

    static void close(DraftModel draftModel, LlamaModel draft, AutoCloseable engine) {
        if (draftModel != null) {
            try {
                draftModel.close();
            } finally {
                ModelAccess.detach(draft, engine);
            }
        }
    }
}
