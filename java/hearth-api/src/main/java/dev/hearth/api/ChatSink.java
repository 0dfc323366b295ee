package dev.hearth.api;

/**
 * Receives a chat answer as it is generated: visible content and the model's reasoning arrive as separate
 * deltas, parsed from the raw output by the model family's own format. Called on the generating thread.
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
