package dev.hearth.llama;

/** Told the progress of a model load (0 to 1); returning false cancels the load. Called on the loading thread. */
@FunctionalInterface
public interface LoadProgress {
    boolean onProgress(float fraction);

    static LoadProgress none() {
        return fraction -> true;
    }
}
