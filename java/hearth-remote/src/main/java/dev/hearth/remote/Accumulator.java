package dev.hearth.remote;

import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.StopReason;
import dev.hearth.api.TokenEstimates;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles a streamed answer as its deltas arrive, passing them on to the caller's sink: the same
 * {@link ChatResponse} a non-streamed call returns, or, when the stream breaks, what had arrived. One per call.
 */
final class Accumulator {
    private final ChatSink sink;
    private final Runnable onFirstOutput;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder signature = new StringBuilder();
    private final Map<Integer, PartialCall> calls = new TreeMap<>();
    String id = "";
    String model = "";
    StopReason stopReason;
    String rawStopReason = "";
    Usage usage = Usage.NONE;
    private boolean started;

    private static final class PartialCall {
        String id = "";
        String name = "";
        final StringBuilder arguments = new StringBuilder();
        boolean delivered;
    }

    Accumulator(ChatSink sink, Runnable onFirstOutput) {
        this.sink = sink;
        this.onFirstOutput = onFirstOutput;
    }

    void content(String delta) {
        if (delta != null && !delta.isEmpty()) {
            start();
            content.append(delta);
            sink.onContent(delta);
        }
    }

    void reasoning(String delta) {
        if (delta != null && !delta.isEmpty()) {
            start();
            reasoning.append(delta);
            sink.onReasoning(delta);
        }
    }

    void signature(String delta) {
        if (delta != null) {
            signature.append(delta);
        }
    }

    /** A tool call's id and name (a first fragment), or more of its arguments; fields left null are unchanged. */
    void toolCall(int index, String callId, String name, String argumentsDelta) {
        start();
        PartialCall c = calls.computeIfAbsent(index, i -> new PartialCall());
        if (callId != null && !callId.isEmpty()) {
            c.id = callId;
        }
        if (name != null && !name.isEmpty()) {
            c.name = name;
        }
        if (argumentsDelta != null) {
            c.arguments.append(argumentsDelta);
        }
    }

    /** A tool call is complete: hand it to the sink. */
    void toolCallDone(int index) {
        PartialCall c = calls.get(index);
        if (c != null && !c.delivered) {
            c.delivered = true;
            sink.onToolCall(new ToolCall(c.id, c.name, c.arguments.toString()));
        }
    }

    void allToolCallsDone() {
        calls.keySet().forEach(this::toolCallDone);
    }

    boolean started() {
        return started;
    }

    ChatResponse build() {
        List<ToolCall> out = new ArrayList<>();
        calls.values().forEach(c -> out.add(new ToolCall(c.id, c.name, c.arguments.toString())));
        StopReason stop = stopReason != null ? stopReason : StopReason.OTHER;
        return new ChatResponse(id, model, content.toString(), reasoning.toString(), signature.toString(), out, stop,
                rawStopReason, usage);
    }

    /**
     * The tokens used so far: what the vendor reported, and where it has not yet (most report at the end), the input
     * as estimated before sending and the output estimated from the text that arrived.
     */
    Usage usedSoFar(long inputEstimate) {
        long output = TokenEstimates.ofText(content) + TokenEstimates.ofText(reasoning);
        for (PartialCall c : calls.values()) {
            output += TokenEstimates.ofText(c.name) + TokenEstimates.ofText(c.arguments);
        }
        return new Usage(usage.inputTokens() > 0 ? usage.inputTokens() : inputEstimate,
                usage.outputTokens() > 0 ? usage.outputTokens() : output, usage.cacheReadTokens(),
                usage.cacheWriteTokens(), usage.reasoningTokens());
    }

    /** What arrived so far, or null when nothing did. */
    ChatResponse partialOrNull() {
        return started ? build() : null;
    }

    private void start() {
        if (!started) {
            started = true;
            onFirstOutput.run();
        }
    }
}
