package dev.hearth.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * Where Hearth asks Anthropic to cache a request's prefix ({@code cache_control} breakpoints; tools, then system, then
 * messages is the order the API reads them). A cached prefix is billed at a tenth of the input price when it is read
 * back within five minutes, and at 1.25 times when it is written; a prefix shorter than the model's minimum (1,024 to
 * 4,096 tokens) is simply not cached and costs nothing extra. The usage of every answer says what was written and
 * read, and the price table bills both.
 */
public enum PromptCache {
    /** No breakpoints: every request pays the full input price. */
    OFF,
    /**
     * The default: one breakpoint after the tools and the system prompt (the part an application repeats on every
     * request), and, once a conversation has gone back and forth, one on its last message, so that the next turn
     * reads the whole history from the cache.
     */
    AUTO;

    private static final String SETTING = "ANTHROPIC_PROMPT_CACHE";

    /** From {@code ANTHROPIC_PROMPT_CACHE} ({@code auto}, the default, or {@code off}). */
    public static PromptCache fromEnvironment(Map<String, String> env) {
        String value = env.getOrDefault(SETTING, "auto").strip().toUpperCase(Locale.ROOT);
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + " must be auto or off, not " + env.get(SETTING), e);
        }
    }

    /** Adds this policy's breakpoints to a Messages API request body. */
    void mark(ObjectNode body) {
        if (this == OFF) {
            return;
        }
        JsonNode system = body.get("system");
        if (system != null && system.isTextual() && !system.asText().isEmpty()) {
            ArrayNode blocks = body.putArray("system");
            breakpoint(blocks.addObject().put("type", "text").put("text", system.asText()));
        } else if (body.path("tools").isArray() && !body.path("tools").isEmpty()) {
            breakpoint((ObjectNode) body.path("tools").get(body.path("tools").size() - 1));
        }
        JsonNode messages = body.path("messages");
        long userTurns = 0;
        for (JsonNode m : messages) {
            userTurns += "user".equals(m.path("role").asText()) ? 1 : 0;
        }
        if (userTurns >= 2) {
            JsonNode content = messages.get(messages.size() - 1).path("content");
            if (content.isArray() && !content.isEmpty() && content.get(content.size() - 1) instanceof ObjectNode last
                    && !"thinking".equals(last.path("type").asText())) {
                breakpoint(last);
            }
        }
    }

    private static void breakpoint(ObjectNode block) {
        block.putObject("cache_control").put("type", "ephemeral");
    }
}
