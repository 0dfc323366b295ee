package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import java.util.List;

/**
 * Hearth's answers in OpenAI's chat completion shapes: the whole {@code chat.completion}, and the
 * {@code chat.completion.chunk}s of a stream (role first, content and tool-call deltas, the finish reason, the usage).
 * Plain functions of their arguments.
 */
public final class Completions {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Completions() {
    }

    /**
     * Who answered, for the body as well as the headers: the model profile's id, local or remote, the ledger's call
     * id.
     */
    public record Answered(String id, String model, boolean local, String callId, long created) {
        public String route() {
            return local ? "local" : "remote";
        }
    }

    /** A whole {@code chat.completion}. */
    public static ObjectNode completion(ChatResponse r, Answered who) {
        ObjectNode message = JSON.objectNode().put("role", "assistant");
        if (r.content().isEmpty() && !r.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", r.content());
        }
        if (!r.reasoning().isEmpty()) {
            message.put("reasoning_content", r.reasoning());
        }
        if (!r.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall c : r.toolCalls()) {
                calls.add(toolCall(c));
            }
        }
        ObjectNode choice = JSON.objectNode().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(r.stopReason()));
        ObjectNode out = envelope(who, "chat.completion");
        out.putArray("choices").add(choice);
        out.set("usage", usage(r.usage()));
        return out;
    }

    /** The first chunk of a stream: the assistant's role, no content yet. */
    public static ObjectNode roleChunk(Answered who) {
        return chunk(who, JSON.objectNode().put("role", "assistant").put("content", ""), null);
    }

    public static ObjectNode contentChunk(Answered who, String delta) {
        return chunk(who, JSON.objectNode().put("content", delta), null);
    }

    public static ObjectNode reasoningChunk(Answered who, String delta) {
        return chunk(who, JSON.objectNode().put("reasoning_content", delta), null);
    }

    /** A whole tool call as one delta ({@code index} counts the calls of this answer from 0). */
    public static ObjectNode toolCallChunk(Answered who, int index, ToolCall call) {
        ObjectNode delta = JSON.objectNode();
        delta.putArray("tool_calls").add(toolCall(call).put("index", index));
        return chunk(who, delta, null);
    }

    /** The last chunk with a choice: an empty delta and why the model stopped. */
    public static ObjectNode finishChunk(Answered who, StopReason reason) {
        return chunk(who, JSON.objectNode(), finishReason(reason));
    }

    /** {@code stream_options.include_usage}: the usage, with an empty {@code choices}. */
    public static ObjectNode usageChunk(Answered who, Usage usage) {
        ObjectNode out = envelope(who, "chat.completion.chunk");
        out.putArray("choices");
        out.set("usage", usage(usage));
        return out;
    }

    public static String finishReason(StopReason reason) {
        return switch (reason) {
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case REFUSAL -> "content_filter";
            case END_TURN, STOP_SEQUENCE, CANCELLED, OTHER -> "stop";
        };
    }

    public static ObjectNode usage(Usage u) {
        long prompt = u.totalInputTokens();
        ObjectNode out = JSON.objectNode().put("prompt_tokens", prompt).put("completion_tokens", u.outputTokens())
                .put("total_tokens", prompt + u.outputTokens());
        out.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
        out.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        return out;
    }

    /** {@code GET /v1/models}: each model a request may name. */
    public static ObjectNode modelList(List<String> ids, List<String> owners) {
        ObjectNode out = JSON.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < ids.size(); i++) {
            data.addObject().put("id", ids.get(i)).put("object", "model").put("created", 0)
                    .put("owned_by", owners.get(i));
        }
        return out;
    }

    private static ObjectNode chunk(Answered who, ObjectNode delta, String finishReason) {
        ObjectNode choice = JSON.objectNode().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        ObjectNode out = envelope(who, "chat.completion.chunk");
        out.putArray("choices").add(choice);
        return out;
    }

    private static ObjectNode envelope(Answered who, String object) {
        return JSON.objectNode().put("id", who.id()).put("object", object).put("created", who.created())
                .put("model", who.model());
    }

    private static ObjectNode toolCall(ToolCall c) {
        ObjectNode out = JSON.objectNode().put("id", c.id()).put("type", "function");
        out.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        return out;
    }
}
