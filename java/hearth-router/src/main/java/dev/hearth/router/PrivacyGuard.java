package dev.hearth.router;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What may leave the machine. Before a request goes to an external provider, everything of it that is sent is scanned
 * for credentials: each message (its text, its reasoning, the arguments of its tool calls; tool results and system
 * prompts are messages), the tools' descriptions and parameter schemas, the response format's schema and the stop
 * sequences. By policy the guard redacts them, refuses the request, or lets it go, and says what it did. Tool names
 * are left as they are: a vendor takes only identifiers there. Thread-safe.
 */
public final class PrivacyGuard {
    /** What to do with a request that carries a credential. */
    public enum Policy { REDACT, REFUSE, ALLOW }

    /**
     * What the guard did to one request.
     *
     * @param action    REDACT (secrets replaced), REFUSE (nothing sent), ALLOW (sent as is; findings say what went)
     * @param findings  the kinds found, in order
     * @param request   the request as it may be sent (null when refused)
     */
    public record Verdict(Policy action, List<String> findings, ChatRequest request) {
        public Verdict {
            findings = List.copyOf(findings);
        }
    }

    private final SecretScanner scanner = new SecretScanner();
    private final Policy policy;

    public PrivacyGuard(Policy policy) {
        this.policy = policy;
    }

    public Verdict check(ChatRequest request) {
        List<String> kinds = new ArrayList<>();
        UnaryOperator<String> clean = text -> {
            var found = scanner.scan(text);
            found.forEach(f -> kinds.add(f.kind()));
            return found.isEmpty() ? text : scanner.redact(text, found);
        };
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            List<ToolCall> calls = m.toolCalls().stream().map(c -> new ToolCall(c.id(), c.name(),
                    clean.apply(c.arguments()))).toList();
            messages.add(new ChatMessage(m.role(), clean.apply(m.content()), clean.apply(m.reasoning()), calls,
                    m.toolCallId(), m.reasoningSignature()));
        }
        List<Tool> tools = request.tools().stream().map(t -> new Tool(t.name(), clean.apply(t.description()),
                clean.apply(t.parameters()))).toList();
        ResponseFormat format = request.responseFormat() instanceof ResponseFormat.JsonSchema s
                ? s.withSchema(clean.apply(s.schema())) : request.responseFormat();
        List<String> stop = request.stop().stream().map(clean).toList();
        if (kinds.isEmpty()) {
            return new Verdict(Policy.ALLOW, List.of(), request);
        }
        return switch (policy) {
            case ALLOW -> new Verdict(Policy.ALLOW, kinds, request);
            case REDACT -> new Verdict(Policy.REDACT, kinds, request.withMessages(messages)
                    .withTools(tools, request.toolChoice()).withResponseFormat(format).withStop(stop));
            case REFUSE -> new Verdict(Policy.REFUSE, kinds, null);
        };
    }
}
