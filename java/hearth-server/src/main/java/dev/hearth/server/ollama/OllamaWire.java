package dev.hearth.server.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.server.openai.ApiError;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hearth's answers in Ollama's shapes: {@code /api/chat} and {@code /api/generate} objects (a delta each while
 * streaming, then the last with {@code "done": true}, why it stopped and the timings in nanoseconds), and errors
 * ({@code {"error": "..."}}). Plain functions of their arguments.
 */
public final class OllamaWire {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OllamaWire() {
    }

    /** Which endpoint's shape: {@code message} objects for chat, {@code response} strings for generate. */
    public enum Kind { CHAT, GENERATE }

    /**
     * The timings of one answer, as Ollama reports them. Hearth does not time a model's load apart from its prompt,
     * so the load is 0 and the prompt's evaluation runs to the first token.
     *
     * @param total        from the request's arrival to the last token
     * @param firstToken   from the request's arrival to the first token
     */
    public record Timings(Duration total, Duration firstToken) {
        public Timings {
            firstToken = firstToken.compareTo(total) > 0 ? total : firstToken;
        }
    }

    /**
     * Who answered, named in the last object's {@code hearth} field (Ollama's clients show no headers).
     */
    public record Answered(String model, boolean local, String callId) {
        public String route() {
            return local ? "local" : "remote";
        }
    }

    /** One streamed delta: text, reasoning, or tool calls (each may be empty). */
    public static ObjectNode delta(Kind kind, String model, Instant at, String content, String thinking,
            List<ToolCall> calls) {
        ObjectNode out = head(model, at);
        if (kind == Kind.CHAT) {
            out.set("message", message(content, thinking, calls));
        } else {
            out.put("response", content);
            if (!thinking.isEmpty()) {
                out.put("thinking", thinking);
            }
        }
        return out.put("done", false);
    }

    /**
     * The last object: with the whole answer when not streamed ({@code whole}), else with an empty one; why it
     * stopped, the token counts and timings, and who answered.
     */
    public static ObjectNode done(Kind kind, String model, Instant at, ChatResponse r, boolean whole, Timings t,
            Answered who) {
        ObjectNode out = head(model, at);
        String content = whole ? r.content() : "";
        String thinking = whole ? r.reasoning() : "";
        if (kind == Kind.CHAT) {
            out.set("message", message(content, thinking, whole ? r.toolCalls() : List.of()));
        } else {
            out.put("response", content);
            if (!thinking.isEmpty()) {
                out.put("thinking", thinking);
            }
        }
        out.put("done", true).put("done_reason", doneReason(r.stopReason()));
        if (kind == Kind.GENERATE) {
            out.putArray("context"); // Hearth keeps no context tokens for the client to send back
        }
        out.put("total_duration", t.total().toNanos()).put("load_duration", 0L)
                .put("prompt_eval_count", r.usage().totalInputTokens())
                .put("prompt_eval_duration", t.firstToken().toNanos())
                .put("eval_count", r.usage().outputTokens())
                .put("eval_duration", t.total().minus(t.firstToken()).toNanos());
        out.putObject("hearth").put("call_id", who.callId()).put("model", who.model()).put("route", who.route());
        return out;
    }

    /**
     * {@code /api/generate} with an empty prompt or {@code /api/chat} with no messages: Ollama's load (Hearth loads a model on its first request), or its
     * unload when the keep-alive was zero.
     */
    public static ObjectNode loaded(Kind kind, String model, Instant at, boolean unloaded) {
        ObjectNode out = head(model, at);
        if (kind == Kind.CHAT) {
            out.set("message", message("", "", List.of()));
        } else {
            out.put("response", "");
        }
        return out.put("done", true).put("done_reason", unloaded ? "unload" : "load");
    }

    static String doneReason(StopReason reason) {
        return reason == StopReason.MAX_TOKENS ? "length" : "stop";
    }

    /** An error as Ollama's clients read it (its status says what kind). */
    public static ObjectNode error(ApiError e) {
        return JSON.objectNode().put("error", e.message());
    }

    private static ObjectNode head(String model, Instant at) {
        return JSON.objectNode().put("model", model).put("created_at", at.toString());
    }

    private static ObjectNode message(String content, String thinking, List<ToolCall> calls) {
        ObjectNode m = JSON.objectNode().put("role", "assistant").put("content", content);
        if (!thinking.isEmpty()) {
            m.put("thinking", thinking);
        }
        if (!calls.isEmpty()) {
            ArrayNode out = m.putArray("tool_calls");
            for (ToolCall c : calls) {
                ObjectNode fn = out.addObject().put("id", c.id()).putObject("function").put("name", c.name());
                fn.set("arguments", arguments(c));
            }
        }
        return m;
    }

    private static JsonNode arguments(ToolCall c) {
        try {
            return MAPPER.readTree(c.arguments().isBlank() ? "{}" : c.arguments());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the model's tool call arguments are not JSON: " + c.arguments(), e);
        }
    }
}
