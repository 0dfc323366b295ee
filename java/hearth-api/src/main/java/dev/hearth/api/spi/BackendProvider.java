package dev.hearth.api.spi;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.EmbeddingBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A kind of model Hearth can run or reach, plugged in through {@link ServiceLoader}: a backend module declares
 * {@code provides dev.hearth.api.spi.BackendProvider with ...}, and the runtime finds it. Adding a backend adds a
 * module; nothing else names it. Implementations are stateless and thread-safe.
 */
public interface BackendProvider {
    /** A short name for messages ("llama.cpp", "ONNX Runtime", "remote vendors"). */
    String name();

    /** Whether this backend runs or reaches {@code target}. */
    boolean serves(BackendTarget target);

    /** A local target's memory and loading; empty for a backend that only reaches remote models. */
    default Optional<LocalModel> local(BackendTarget target) {
        return Optional.empty();
    }

    /** The remote providers this backend reaches without configuration (a user may name them: PROVIDER:MODEL). */
    default java.util.Set<String> vendors() {
        return java.util.Set.of();
    }

    /** A client for a remote target; backends that run models locally do not reach any. */
    default ChatBackend connect(BackendTarget target) {
        throw new UnsupportedOperationException(name() + " runs models on this machine; it reaches no remote one");
    }

    /**
     * Why {@code file} is not a model this backend can read (empty: it can), checked after a download before the file
     * is kept.
     */
    default Optional<String> unreadable(Path file) {
        return Optional.of(name() + " reads no model files");
    }

    /**
     * The values a per-model option of this backend takes (from a hearth.toml [[model]], e.g. an ONNX model's
     * {@code chat_format}); empty when the backend takes no such option.
     */
    default Optional<List<String>> optionChoices(String key) {
        return Optional.empty();
    }

    /**
     * Whether this backend takes {@code value} for its per-model option {@code key}; by default, when it is one of
     * {@link #optionChoices} (a backend whose option takes free values, such as a path, says so here).
     */
    default boolean acceptsOption(String key, String value) {
        return optionChoices(key).map(c -> c.contains(value.strip().toLowerCase(java.util.Locale.ROOT)))
                .orElse(false);
    }

    /** The text embedder this backend offers for the router's semantic classifier, if it has one. */
    default Optional<EmbeddingBackend> embedder() {
        return Optional.empty();
    }

    /**
     * The name of {@link #embedder()}'s model, without loading it (for a list of models); by default the embedder's own.
     */
    default Optional<String> embedderName() {
        return embedder().map(EmbeddingBackend::name);
    }

    /** The embedding model in {@code dir}, if this backend reads it. */
    default Optional<EmbeddingBackend> embedder(Path dir) {
        return Optional.empty();
    }

    /** The providers on the module path (or class path), in a stable order. */
    static List<BackendProvider> installed() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(java.util.Comparator.comparing(BackendProvider::name)).toList();
    }
}
