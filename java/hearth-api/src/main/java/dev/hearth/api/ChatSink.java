package dev.hearth.api;

/**
 * Receives a chat answer as it is generated: visible content and the model's reasoning arrive as separate
 * deltas, parsed from the raw output by the model family's own format. Called in order, on the thread that called
 * {@link ChatBackend#stream}, also where the model generates on another thread (the llama engine's scheduler hands
 * the text to the waiting caller, who parses it and calls the sink).
 */
public interface ChatSink {
    void onContent(String delta);

    default void onReasoning(String delta) {
    }

    /** A tool call, once its name and all of its arguments have arrived. */
    default void onToolCall(ToolCall call) {
    }

    static ChatSink discard() {
        return delta -> { };
    }
}
