package dev.hearth.router;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What may leave the machine. Before a request goes to an external provider, its messages are scanned for
 * credentials; by policy the guard redacts them, refuses the request, or lets it go, and says what it did.
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
        List<ChatMessage> cleaned = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            var found = scanner.scan(m.content());
            found.forEach(f -> kinds.add(f.kind()));
            cleaned.add(found.isEmpty() ? m : new ChatMessage(m.role(), scanner.redact(m.content(), found), m.reasoning(),
                    m.toolCalls(), m.toolCallId(), m.reasoningSignature()));
        }
        if (kinds.isEmpty()) {
            return new Verdict(Policy.ALLOW, List.of(), request);
        }
        return switch (policy) {
            case ALLOW -> new Verdict(Policy.ALLOW, kinds, request);
            case REDACT -> new Verdict(Policy.REDACT, kinds, request.withMessages(cleaned));
            case REFUSE -> new Verdict(Policy.REFUSE, kinds, null);
        };
    }
}
