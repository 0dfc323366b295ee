package dev.hearth.host;

/** Loads a model where the host placed it; injected so that placement and eviction are tested without a GPU. */
@FunctionalInterface
public interface ModelLoader {
    /** A loaded model; closing it frees everything it holds. */
    interface Loaded extends AutoCloseable {
        @Override
        void close();
    }

    Loaded load(ModelSpec spec, Placement placement) throws Exception;
}
