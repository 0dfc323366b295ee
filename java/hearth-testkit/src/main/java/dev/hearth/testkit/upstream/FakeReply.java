package dev.hearth.testkit.upstream;

import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a fake upstream answers to one request. Streamed, the text goes out a word at a time, reasoning first, then
 * each tool call's arguments in a few fragments.
 *
 * @param text        the answer
 * @param reasoning   thinking / reasoning_content, sent before the answer
 * @param toolCalls   tool calls (ids are made up when empty)
 * @param usage       the usage the vendor reports
 * @param tokenDelay  pause between streamed deltas
 * @param fault       how this reply fails, or null
 * @param stopReason  the vendor's word for why it stopped ("refusal", "length", ...), or null for the usual one
 */
public record FakeReply(String text, String reasoning, List<ToolCall> toolCalls, Usage usage, Duration tokenDelay,
        Fault fault, String stopReason) {
    public FakeReply {
        Objects.requireNonNull(text, "text");
        reasoning = reasoning == null ? "" : reasoning;
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(usage, "usage");
        tokenDelay = tokenDelay == null ? Duration.ZERO : tokenDelay;
    }

    public static FakeReply text(String text) {
        return new FakeReply(text, "", List.of(), new Usage(12, Math.max(1, text.split(" ").length), 0, 0, 0),
                Duration.ZERO, null, null);
    }

    public static FakeReply failing(Fault fault) {
        return text("").withFault(fault);
    }

    public FakeReply withReasoning(String r) {
        return new FakeReply(text, r, toolCalls, usage, tokenDelay, fault, stopReason);
    }

    public FakeReply withToolCalls(List<ToolCall> calls) {
        return new FakeReply(text, reasoning, calls, usage, tokenDelay, fault, stopReason);
    }

    public FakeReply withUsage(Usage u) {
        return new FakeReply(text, reasoning, toolCalls, u, tokenDelay, fault, stopReason);
    }

    public FakeReply withTokenDelay(Duration d) {
        return new FakeReply(text, reasoning, toolCalls, usage, d, fault, stopReason);
    }

    public FakeReply withFault(Fault f) {
        return new FakeReply(text, reasoning, toolCalls, usage, tokenDelay, f, stopReason);
    }

    public FakeReply withStopReason(String reason) {
        return new FakeReply(text, reasoning, toolCalls, usage, tokenDelay, fault, reason);
    }

    /** The stop reason to send, given the usual one. */
    String stopReasonOr(String usual) {
        return stopReason == null ? usual : stopReason;
    }

    /** The answer's text cut into the deltas a stream sends: words with their leading spaces. */
    List<String> textDeltas() {
        return pieces(text);
    }

    List<String> reasoningDeltas() {
        return pieces(reasoning);
    }

    static List<String> pieces(String s) {
        List<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ' ') {
                out.add(s.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    /** Tool-call arguments cut into fragments, as vendors stream them. */
    static List<String> fragments(String json) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < json.length(); i += 7) {
            out.add(json.substring(i, Math.min(json.length(), i + 7)));
        }
        return out;
    }
}
