package dev.hearth.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.server.openai.Completions;

/**
 * Hearth's answers in the Responses API's shapes: the {@code response} object, its output items ({@code reasoning},
 * {@code message} with {@code output_text}, {@code function_call}) and its usage. Item ids are the response's own id
 * with the item's kind and place ({@code msg_ABC_1}), so a stream and the response that ends it name each item alike.
 * Plain functions of their arguments.
 */
public final class ResponseObjects {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponseObjects() {
    }

    /** The kinds of output item, each with the prefix OpenAI gives its ids. */
    enum Kind {
        REASONING("rs"), MESSAGE("msg"), FUNCTION_CALL("fc");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** An output item's id: its kind, the response's id without {@code resp_}, its place in the output. */
    static String itemId(Kind kind, Completions.Answered who, int index) {
        return kind.prefix + "_" + who.id().substring(who.id().indexOf('_') + 1) + "_" + index;
    }

    /**
     * A response object.
     *
     * @param who     the response's id, creation time and model; its call id and route go in {@code hearth}
     * @param echo    the request's settings, repeated ({@link ResponsesRequest#echo()})
     * @param status  {@code in_progress}, {@code completed} or {@code incomplete}
     * @param output  the output items so far
     * @param usage   the tokens used, or null while it is in progress
     */
    public static ObjectNode response(Completions.Answered who, ObjectNode echo, String status, ArrayNode output,
            Usage usage) {
        ObjectNode out = JSON.objectNode().put("id", who.id()).put("object", "response")
                .put("created_at", who.created()).put("status", status);
        out.putNull("error");
        if (status.equals("incomplete")) {
            out.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            out.putNull("incomplete_details");
        }
        out.set("instructions", echo.get("instructions"));
        out.set("max_output_tokens", echo.get("max_output_tokens"));
        out.put("model", who.model());
        out.set("output", output);
        echo.properties().forEach(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        if (usage == null) {
            out.putNull("usage");
        } else {
            out.set("usage", usage(usage));
        }
        if (!who.callId().isEmpty()) {
            out.putObject("hearth").put("call_id", who.callId()).put("model", who.model()).put("route", who.route());
        }
        return out;
    }

    /** A whole answer's response: reasoning first, then the message (unless only tools were called), then calls. */
    public static ObjectNode whole(ChatResponse r, Completions.Answered who, ObjectNode echo) {
        String status = status(r.stopReason());
        ArrayNode output = JSON.arrayNode();
        if (!r.reasoning().isEmpty()) {
            output.add(reasoning(itemId(Kind.REASONING, who, output.size()), "completed", r.reasoning()));
        }
        if (!r.content().isEmpty() || r.toolCalls().isEmpty()) {
            output.add(message(itemId(Kind.MESSAGE, who, output.size()), status, r.content()));
        }
        for (ToolCall c : r.toolCalls()) {
            output.add(functionCall(itemId(Kind.FUNCTION_CALL, who, output.size()), "completed", c));
        }
        return response(who, echo, status, output, r.usage());
    }

    /** {@code incomplete} when the answer was cut at max_output_tokens, else {@code completed}. */
    public static String status(StopReason reason) {
        return reason == StopReason.MAX_TOKENS ? "incomplete" : "completed";
    }

    static ObjectNode message(String id, String status, String text) {
        ObjectNode out = JSON.objectNode().put("id", id).put("type", "message").put("status", status)
                .put("role", "assistant");
        ArrayNode content = out.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return out;
    }

    static ObjectNode outputText(String text) {
        ObjectNode out = JSON.objectNode().put("type", "output_text").put("text", text);
        out.putArray("annotations");
        out.putArray("logprobs");
        return out;
    }

    static ObjectNode reasoningText(String text) {
        return JSON.objectNode().put("type", "reasoning_text").put("text", text);
    }

    /** A reasoning item: the model's reasoning as {@code reasoning_text} content, no summary. */
    static ObjectNode reasoning(String id, String status, String text) {
        ObjectNode out = JSON.objectNode().put("id", id).put("type", "reasoning").put("status", status);
        out.putArray("summary");
        ArrayNode content = out.putArray("content");
        if (text != null) {
            content.add(reasoningText(text));
        }
        return out;
    }

    static ObjectNode functionCall(String id, String status, ToolCall c) {
        return JSON.objectNode().put("id", id).put("type", "function_call").put("status", status)
                .put("call_id", c.id()).put("name", c.name()).put("arguments", status.equals("in_progress") ? ""
                        : c.arguments());
    }

    static ObjectNode usage(Usage u) {
        long input = u.totalInputTokens();
        ObjectNode out = JSON.objectNode().put("input_tokens", input);
        out.putObject("input_tokens_details").put("cached_tokens", u.cacheReadTokens())
                .put("cache_write_tokens", u.cacheWriteTokens());
        out.put("output_tokens", u.outputTokens());
        out.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        out.put("total_tokens", input + u.outputTokens());
        return out;
    }
}
