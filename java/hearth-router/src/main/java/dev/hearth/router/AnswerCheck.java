package dev.hearth.router;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ResponseFormat;
import dev.hearth.schema.SchemaValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * The router's structured-output rule: an answer to a request that asks for JSON (a schema, or any object) must
 * validate before anyone sees it as an answer, whichever model wrote it. A remote model's failed answer is asked for
 * once more with the violations in the conversation; then the chain moves on; the last failure is an error.
 */
final class AnswerCheck {
    private static final SchemaValidator ANY_OBJECT = SchemaValidator.of("{\"type\":\"object\"}");

    private AnswerCheck() {
    }

    /** What is wrong with the answer (empty: fine, or nothing was asked of its shape). */
    static List<String> problems(ChatRequest request, ChatResponse answer) {
        SchemaValidator validator = switch (request.responseFormat()) {
            case ResponseFormat.JsonSchema s -> SchemaValidator.of(s.schema());
            case ResponseFormat.JsonObject o -> ANY_OBJECT;
            case null, default -> null;
        };
        if (validator == null || !answer.toolCalls().isEmpty()) {
            return List.of();
        }
        return validator.violations(answer.content());
    }

    /** The request again, with the failed answer and what was wrong with it. */
    static ChatRequest retry(ChatRequest asked, ChatResponse answer, List<String> problems) {
        List<ChatMessage> again = new ArrayList<>(asked.messages());
        again.add(ChatMessage.assistant(answer.content()));
        again.add(ChatMessage.user("That answer does not match the required JSON schema: " + String.join("; ", problems)
                + ". Answer again with only the corrected JSON, nothing else."));
        return asked.withMessages(again);
    }

    /** The second answer, carrying the tokens of both attempts (both are billed). */
    static ChatResponse billedTogether(ChatResponse first, ChatResponse second) {
        return new ChatResponse(second.id(), second.model(), second.content(), second.reasoning(),
                second.reasoningSignature(), second.toolCalls(), second.stopReason(), second.rawStopReason(),
                first.usage().plus(second.usage()));
    }
}
