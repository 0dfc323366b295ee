package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.runtime.Hearth;

/**
 * {@code GET /v1/hearth/prefixes}: for a gateway in front of this Hearth, the conversations (their
 * {@link dev.hearth.api.ConversationKey}s, hashes of each conversation's opening messages) whose prompt prefixes the
 * engine slots of each loaded model hold, and the prompt tokens each engine reused from its slots: {@code {"models":
 * [{"model", "conversations": [...], "prompt_tokens", "reused_prompt_tokens"}]}}. No prompt text is shown.
 */
public final class Prefixes {
    private Prefixes() {
    }

    public static ObjectNode of(Hearth hearth) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode models = out.putArray("models");
        hearth.prefixes().forEach((id, r) -> {
            ObjectNode m = models.addObject().put("model", id);
            ArrayNode conversations = m.putArray("conversations");
            r.conversations().forEach(conversations::add);
            m.put("prompt_tokens", r.promptTokens()).put("reused_prompt_tokens", r.reusedPromptTokens());
        });
        return out;
    }
}
