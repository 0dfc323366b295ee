package dev.hearth.testkit.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.testkit.http.LoopbackHttpServer.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that speaks the OpenAI chat-completions wire format ({@code POST [/v1]/chat/completions},
 * bearer key), streaming {@code data:} chunks to {@code [DONE]}, in one of two flavours: OpenAI's (usage with
 * {@code prompt_tokens_details.cached_tokens}) or DeepSeek's ({@code reasoning_content},
 * {@code prompt_cache_hit_tokens}/{@code prompt_cache_miss_tokens}, keep-alive comments, 402 and 503 errors).
 */
public final class FakeOpenAiServer extends FakeUpstream {
    /** Whose dialect it speaks. */
    public enum Flavor { OPENAI, DEEPSEEK }

    private final Flavor flavor;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean nullChoices;
    private volatile List<String> listed = List.of();

    public FakeOpenAiServer(String apiKey, Flavor flavor) throws IOException {
        super(apiKey);
        this.flavor = flavor;
    }

    /** Sends {@code "choices": null} in the usage chunk, as some compatible servers do. */
    public FakeOpenAiServer nullChoicesInUsageChunk(boolean on) {
        this.nullChoices = on;
        return this;
    }

    /** Lists these model ids at {@code GET /v1/models} (none until called: an empty list), with the bearer key. */
    public FakeOpenAiServer listModels(String... ids) {
        this.listed = List.of(ids);
        return this;
    }

    @Override
    protected void answer(Exchange ex, JsonNode req, FakeReply reply) throws IOException, InterruptedException {
        if (ex.method().equals("GET") && (ex.path().equals("/v1/models") || ex.path().equals("/models"))) {
            if (!("Bearer " + apiKey()).equals(ex.headers().get("authorization"))) {
                ex.respond(401, withJsonType(Map.of()), errorBody("authentication_error", "Incorrect API key provided"));
                return;
            }
            ArrayNode data = JSON.createArrayNode();
            listed.forEach(id -> data.addObject().put("id", id).put("object", "model").put("owned_by", "fake"));
            ObjectNode body = JSON.createObjectNode().put("object", "list");
            body.set("data", data);
            ex.respond(200, withJsonType(Map.of()), body.toString());
            return;
        }
        if (!ex.path().equals("/v1/chat/completions") && !ex.path().equals("/chat/completions")) {
            ex.respond(404, withJsonType(Map.of()), errorBody("invalid_request_error", "Unknown path " + ex.path()));
            return;
        }
        if (!("Bearer " + apiKey()).equals(ex.headers().get("authorization"))) {
            ex.respond(401, withJsonType(Map.of()), errorBody("authentication_error",
                    "Incorrect API key provided"));
            return;
        }
        if (!req.path("messages").isArray() || req.path("messages").isEmpty()) {
            ex.respond(400, withJsonType(Map.of()), errorBody("invalid_request_error", "messages must not be empty"));
            return;
        }
        if (beforeResponse(ex, reply)) {
            return;
        }
        String id = "chatcmpl-fake-" + ids.incrementAndGet();
        String model = req.path("model").asText();
        if (req.path("stream").asBoolean(false)) {
            boolean usage = req.path("stream_options").path("include_usage").asBoolean(false);
            stream(ex, reply, chunks(id, model, reply, usage), "data: {\"error\":{\"type\":\"%s\",\"message\":%s}}\n\n");
        } else {
            ex.respond(200, withJsonType(Map.of()), json(completion(id, model, reply)));
        }
    }

    private ObjectNode completion(String id, String model, FakeReply reply) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("object", "chat.completion").put("created", 1_700_000_000)
                .put("model", model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.text().isEmpty() && !reply.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        if (flavor == Flavor.DEEPSEEK && !reply.reasoning().isEmpty()) {
            message.put("reasoning_content", reply.reasoning());
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                ToolCall call = reply.toolCalls().get(i);
                ObjectNode o = calls.addObject().put("id", callId(call, i)).put("type", "function");
                o.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.put("finish_reason", reply.stopReasonOr(reply.toolCalls().isEmpty() ? "stop" : "tool_calls"));
        c.set("usage", usage(reply.usage()));
        return c;
    }

    private List<String> chunks(String id, String model, FakeReply reply, boolean includeUsage) {
        List<String> out = new ArrayList<>();
        if (flavor == Flavor.DEEPSEEK) {
            out.add(": keep-alive\n\n");
        }
        out.add(chunk(id, model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        if (flavor == Flavor.DEEPSEEK) {
            for (String piece : reply.reasoningDeltas()) {
                out.add(chunk(id, model, JSON.createObjectNode().putNull("content").put("reasoning_content", piece), null));
            }
        }
        for (String piece : reply.textDeltas()) {
            out.add(chunk(id, model, JSON.createObjectNode().put("content", piece), null));
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ToolCall call = reply.toolCalls().get(i);
            ObjectNode first = JSON.createObjectNode();
            ObjectNode c = first.putArray("tool_calls").addObject().put("index", i).put("id", callId(call, i))
                    .put("type", "function");
            c.putObject("function").put("name", call.name()).put("arguments", "");
            out.add(chunk(id, model, first, null));
            for (String fragment : FakeReply.fragments(call.arguments())) {
                ObjectNode d = JSON.createObjectNode();
                d.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", fragment);
                out.add(chunk(id, model, d, null));
            }
        }
        out.add(chunk(id, model, JSON.createObjectNode(),
                reply.stopReasonOr(reply.toolCalls().isEmpty() ? "stop" : "tool_calls")));
        if (includeUsage) {
            ObjectNode last = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", 1_700_000_000).put("model", model);
            if (nullChoices) {
                last.putNull("choices");
            } else {
                last.putArray("choices");
            }
            last.set("usage", usage(reply.usage()));
            out.add("data: " + json(last) + "\n\n");
        }
        out.add("data: [DONE]\n\n");
        return out;
    }

    private static String chunk(String id, String model, ObjectNode delta, String finish) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000).put("model", model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + json(c) + "\n\n";
    }

    private ObjectNode usage(Usage u) {
        long prompt = u.totalInputTokens();
        ObjectNode o = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", u.outputTokens())
                .put("total_tokens", prompt + u.outputTokens());
        if (flavor == Flavor.DEEPSEEK) {
            o.put("prompt_cache_hit_tokens", u.cacheReadTokens()).put("prompt_cache_miss_tokens", u.inputTokens());
        }
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
        o.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        return o;
    }

    private static String callId(ToolCall call, int i) {
        return call.id().isEmpty() ? "call_fake_" + i : call.id();
    }

    @Override
    protected String errorBody(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return json(e);
    }

    @Override
    protected String malformed() {
        return "data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\n\n";
    }
}
