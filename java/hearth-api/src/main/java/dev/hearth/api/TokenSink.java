package dev.hearth.api;

/**
 * Receives generated text as it is produced. Each call carries whole UTF-8 characters (a token that ends in
 * the middle of a character is held back until the character is complete) and never text that belongs to a
 * stop sequence. Called on the generating thread; an exception thrown here stops the generation and is
 * rethrown to the caller.
 */
@FunctionalInterface
public interface TokenSink {
    void onText(String text);

    /** A sink that drops everything, for callers that only want the final result. */
    static TokenSink discard() {
        return text -> { };
    }
}
