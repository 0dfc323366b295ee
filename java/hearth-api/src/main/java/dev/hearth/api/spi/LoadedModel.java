package dev.hearth.api.spi;

import dev.hearth.api.ChatBackend;
import java.util.Optional;

/** A model in memory, ready to serve; closing it frees it (its engine first). Thread-safe. */
public interface LoadedModel extends AutoCloseable {
    /** Chats with it, {@code tuning} applied to every request. */
    ChatBackend chat(LocalTuning tuning);

    /** Raw text completion, where the backend has it (a chat-only backend has not). */
    default Optional<Completer> completer() {
        return Optional.empty();
    }

    /**
     * Turns texts into vectors, for a model that {@link LocalModel#embeds()}; valid while this model is leased and not
     * closed. Empty for a chat model.
     */
    default Optional<dev.hearth.api.EmbeddingBackend> embedder() {
        return Optional.empty();
    }

    /** What its engine's prefix caches hold now; {@link PrefixReport#NONE} for a backend without one. */
    default PrefixReport prefixes() {
        return PrefixReport.NONE;
    }

    @Override
    void close();
}
