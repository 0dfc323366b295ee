package dev.hearth.api;

/**
 * Receives generated text as it is produced. Each call carries whole UTF-8 characters (a token that ends in
 * the middle of a character is held back until the character is complete) and never text that belongs to a
 * stop sequence. Calls come in order, one at a time, but not necessarily on the caller's thread: a single-sequence
 * generation calls the sink on the thread that generates, the llama engine on a thread of the request's own (so a
 * slow sink holds up only its own request). An exception thrown here stops the generation and reaches the caller:
 * rethrown, or (the engine) as the cause of the exception the request fails with.
 */
@FunctionalInterface
public interface TokenSink {
    void onText(String text);

    /** A sink that drops everything, for callers that only want the final result. */
    static TokenSink discard() {
        return text -> { };
    }
}
