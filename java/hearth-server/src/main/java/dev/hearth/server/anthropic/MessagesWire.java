package dev.hearth.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.server.openai.ApiError;
import java.io.UncheckedIOException;

/**
 * Hearth's answers in Anthropic's Messages shapes: the whole {@code message}, the stream's events, and errors
 * ({@code {"type": "error", "error": {"type", "message"}}}). Plain functions of their arguments.
 */
public final class MessagesWire {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private MessagesWire() {
    }

    /** A whole {@code message}: thinking, text and tool_use blocks in that order. */
    public static ObjectNode message(ChatResponse r, String id, String model) {
        ObjectNode out = envelope(id, model);
        ArrayNode content = out.putArray("content");
        if (!r.reasoning().isEmpty()) {
            content.add(thinkingBlock(r.reasoning(), r.reasoningSignature()));
        }
        if (!r.content().isEmpty() || r.toolCalls().isEmpty()) {
            content.add(JSON.objectNode().put("type", "text").put("text", r.content()));
        }
        for (ToolCall c : r.toolCalls()) {
            content.add(toolUse(c, input(c)));
        }
        out.put("stop_reason", stopReason(r.stopReason()));
        out.putNull("stop_sequence");
        out.set("usage", usage(r.usage()));
        return out;
    }

    /** {@code message_start}: the message with no content and the usage so far. */
    public static ObjectNode messageStart(String id, String model) {
        ObjectNode message = envelope(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(Usage.NONE));
        ObjectNode out = event("message_start");
        out.set("message", message);
        return out;
    }

    public static ObjectNode textBlockStart(int index) {
        return blockStart(index, JSON.objectNode().put("type", "text").put("text", ""));
    }

    public static ObjectNode thinkingBlockStart(int index) {
        return blockStart(index, JSON.objectNode().put("type", "thinking").put("thinking", ""));
    }

    public static ObjectNode toolUseBlockStart(int index, ToolCall call) {
        return blockStart(index, toolUse(call, JSON.objectNode()));
    }

    public static ObjectNode textDelta(int index, String text) {
        return delta(index, JSON.objectNode().put("type", "text_delta").put("text", text));
    }

    public static ObjectNode thinkingDelta(int index, String text) {
        return delta(index, JSON.objectNode().put("type", "thinking_delta").put("thinking", text));
    }

    /** A tool call's whole input as one {@code input_json_delta}. */
    public static ObjectNode inputDelta(int index, ToolCall call) {
        return delta(index, JSON.objectNode().put("type", "input_json_delta").put("partial_json", call.arguments()));
    }

    public static ObjectNode blockStop(int index) {
        return event("content_block_stop").put("index", index);
    }

    /** {@code message_delta}: why it stopped and the output tokens. */
    public static ObjectNode messageDelta(StopReason reason, Usage usage) {
        ObjectNode out = event("message_delta");
        out.putObject("delta").put("stop_reason", stopReason(reason)).putNull("stop_sequence");
        out.set("usage", usage(usage));
        return out;
    }

    public static ObjectNode messageStop() {
        return event("message_stop");
    }

    public static String stopReason(StopReason reason) {
        return switch (reason) {
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
            case REFUSAL -> "refusal";
            case END_TURN, CANCELLED, OTHER -> "end_turn";
        };
    }

    public static ObjectNode usage(Usage u) {
        return JSON.objectNode().put("input_tokens", u.inputTokens()).put("output_tokens", u.outputTokens())
                .put("cache_read_input_tokens", u.cacheReadTokens())
                .put("cache_creation_input_tokens", u.cacheWriteTokens());
    }

    /** An error in Anthropic's shape, its type the one Anthropic's SDKs map from the status. */
    /** {@code count_tokens}' answer. */
    public static ObjectNode tokenCount(long inputTokens) {
        return JSON.objectNode().put("input_tokens", inputTokens);
    }

    public static ObjectNode error(ApiError e) {
        String type = switch (e.status()) {
            case 400, 415 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
        ObjectNode out = JSON.objectNode().put("type", "error");
        out.putObject("error").put("type", type).put("message", e.message());
        return out;
    }

    private static ObjectNode envelope(String id, String model) {
        return JSON.objectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    }

    private static ObjectNode event(String type) {
        return JSON.objectNode().put("type", type);
    }

    private static ObjectNode blockStart(int index, ObjectNode block) {
        ObjectNode out = event("content_block_start").put("index", index);
        out.set("content_block", block);
        return out;
    }

    private static ObjectNode delta(int index, ObjectNode delta) {
        ObjectNode out = event("content_block_delta").put("index", index);
        out.set("delta", delta);
        return out;
    }

    private static ObjectNode thinkingBlock(String thinking, String signature) {
        return JSON.objectNode().put("type", "thinking").put("thinking", thinking).put("signature", signature);
    }

    private static ObjectNode toolUse(ToolCall c, JsonNode input) {
        ObjectNode out = JSON.objectNode().put("type", "tool_use").put("id", c.id()).put("name", c.name());
        out.set("input", input);
        return out;
    }

    private static JsonNode input(ToolCall c) {
        try {
            return MAPPER.readTree(c.arguments());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("the model's tool call arguments are not JSON: " + c.arguments(), e);
        }
    }
}
