package dev.hearth.llama.internal;

import dev.hearth.llama.LlamaModel;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The native handles of a {@link LlamaModel}, for this module's engine and samplers only: the package is not
 * exported, so other modules cannot reach the raw pointers. {@code LlamaModel} opens the door once, when its class
 * is initialised, which happens before any model exists.
 */
public final class ModelAccess {
    /** What {@code LlamaModel} hands over. */
    public interface Door {
        MemorySegment handle(LlamaModel model);

        MemorySegment vocab(LlamaModel model);

        void attach(LlamaModel model, AutoCloseable dependent);

        void detach(LlamaModel model, AutoCloseable dependent);
    }

    private static volatile Door door;

    private ModelAccess() {
    }

    /** Called once, by {@code LlamaModel}'s static initialiser. */
    public static void open(Door d) {
        if (door != null) {
            throw new IllegalStateException("the model door is already open");
        }
        door = Objects.requireNonNull(d);
    }

    /** The {@code llama_model*} of an open model. */
    public static MemorySegment handle(LlamaModel model) {
        return door.handle(model);
    }

    /**
     * Registers something that uses the model's memory and must end before it (an engine): the model closes it first.
     * Throws IllegalStateException when the model is closed.
     */
    public static void attach(LlamaModel model, AutoCloseable dependent) {
        door.attach(model, dependent);
    }

    /** Unregisters a dependent that has ended. */
    public static void detach(LlamaModel model, AutoCloseable dependent) {
        door.detach(model, dependent);
    }

    /** The {@code llama_vocab*} of an open model. */
    public static MemorySegment vocab(LlamaModel model) {
        return door.vocab(model);
    }
}
