package dev.hearth.testkit;

import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** A {@link ChatSink} that keeps what it was given: content, reasoning and tool calls, each in arrival order. */
public final class RecordingSink implements ChatSink {
    private final StringBuilder content = new StringBuilder(), reasoning = new StringBuilder();
    private final List<ToolCall> toolCalls = new ArrayList<>();

    @Override
    public synchronized void onContent(String delta) {
        content.append(delta);
    }

    @Override
    public synchronized void onReasoning(String delta) {
        reasoning.append(delta);
    }

    @Override
    public synchronized void onToolCall(ToolCall call) {
        toolCalls.add(call);
    }

    public synchronized String content() {
        return content.toString();
    }

    public synchronized String reasoning() {
        return reasoning.toString();
    }

    public synchronized List<ToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }
}
