package dev.hearth.testkit;

import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** A {@link ChatSink} that keeps what it was given: content and reasoning deltas and tool calls, in arrival order. */
public final class RecordingSink implements ChatSink {
    private final List<String> content = new ArrayList<>(), reasoning = new ArrayList<>();
    private final List<ToolCall> toolCalls = new ArrayList<>();

    @Override
    public synchronized void onContent(String delta) {
        content.add(delta);
    }

    @Override
    public synchronized void onReasoning(String delta) {
        reasoning.add(delta);
    }

    @Override
    public synchronized void onToolCall(ToolCall call) {
        toolCalls.add(call);
    }

    /** The content deltas joined. */
    public synchronized String content() {
        return String.join("", content);
    }

    /** The content deltas as they came. */
    public synchronized List<String> contentDeltas() {
        return List.copyOf(content);
    }

    /** The reasoning deltas joined. */
    public synchronized String reasoning() {
        return String.join("", reasoning);
    }

    public synchronized List<ToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }
}
