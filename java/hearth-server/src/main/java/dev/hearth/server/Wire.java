package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hearth.server.anthropic.MessagesWire;
import dev.hearth.server.openai.ApiError;

/**
 * The wire formats this server speaks, and the one place an error becomes each one's status and body: OpenAI's
 * {@code {"error": {message, type, param, code}}}, Anthropic's {@code {"type": "error", "error": {type, message}}}
 * (for {@code /v1/messages} and below), Ollama's {@code {"error": "..."}} (for {@code /api/}). A route's format follows
 * from its path, so the gate in front of every route answers in the shape its client parses.
 */
enum Wire {
    OPENAI, ANTHROPIC, OLLAMA;

    /** The format a path's clients speak. */
    static Wire of(String path) {
        if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
            return ANTHROPIC;
        }
        return path.startsWith("/api/") ? OLLAMA : OPENAI;
    }

    /**
     * The status this format's clients expect for {@code e}: Anthropic answers an overloaded server 529 (its SDKs
     * retry it) and a spent budget 400 {@code invalid_request_error}, as its own API does when a spend limit is reached
     * (OpenAI's 429 {@code insufficient_quota} would make Anthropic's SDKs retry what waiting cannot mend).
     */
    ApiError shape(ApiError e) {
        if (this != ANTHROPIC) {
            return e;
        }
        if (e.status() == 503) {
            return e.withStatus(529);
        }
        return "insufficient_quota".equals(e.type()) ? e.withStatus(400) : e;
    }

    /** The body of {@code e} (already {@link #shape shaped}) in this format. */
    JsonNode body(ApiError e) {
        return switch (this) {
            case OPENAI -> e.body();
            case ANTHROPIC -> MessagesWire.error(e);
            case OLLAMA -> JsonNodeFactory.instance.objectNode().put("error", e.message());
        };
    }
}
