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
 * A loopback server that speaks Anthropic's Messages API ({@code POST /v1/messages}, {@code x-api-key},
 * {@code anthropic-version}), streaming over server-sent events with every event type the real one sends, and
 * failing on script as the real one does (its error bodies, 429 with its wait headers, 529, an error event after 200).
 */
public final class FakeAnthropicServer extends FakeUpstream {
    private final AtomicLong ids = new AtomicLong();

    public FakeAnthropicServer(String apiKey) throws IOException {
        super(apiKey);
    }

    @Override
    protected void answer(Exchange ex, JsonNode req, FakeReply reply) throws IOException, InterruptedException {
        if (!ex.path().equals("/v1/messages")) {
            ex.respond(404, withJsonType(Map.of()), errorBody("not_found_error", "no route " + ex.path()));
            return;
        }
        if (!apiKey().equals(ex.headers().get("x-api-key"))) {
            ex.respond(401, withJsonType(Map.of()), errorBody("authentication_error", "invalid x-api-key"));
            return;
        }
        if (!ex.headers().containsKey("anthropic-version")) {
            ex.respond(400, withJsonType(Map.of()), errorBody("invalid_request_error",
                    "anthropic-version: header is required"));
            return;
        }
        if (!req.path("max_tokens").isInt() || !req.path("messages").isArray()) {
            ex.respond(400, withJsonType(Map.of()), errorBody("invalid_request_error",
                    "max_tokens: Field required"));
            return;
        }
        if (beforeResponse(ex, reply)) {
            return;
        }
        String id = "msg_fake_" + ids.incrementAndGet();
        String model = req.path("model").asText();
        if (req.path("stream").asBoolean(false)) {
            stream(ex, reply, events(id, model, reply),
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"%s\",\"message\":%s}}\n\n");
        } else {
            ex.respond(200, withJsonType(Map.of("request-id", "req_" + id)), json(message(id, model, reply)));
        }
    }

    private ObjectNode message(String id, String model, FakeReply reply) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        ArrayNode content = m.putArray("content");
        if (!reply.reasoning().isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reply.reasoning())
                    .put("signature", signature(reply));
        }
        if (!reply.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        List<ToolCall> calls = reply.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", callId(calls.get(i), i))
                    .put("name", calls.get(i).name());
            use.set("input", parse(calls.get(i).arguments()));
        }
        m.put("stop_reason", reply.stopReasonOr(calls.isEmpty() ? "end_turn" : "tool_use"));
        m.putNull("stop_sequence");
        m.set("usage", usage(reply.usage(), reply.usage().outputTokens()));
        return m;
    }

    private List<String> events(String id, String model, FakeReply reply) {
        List<String> out = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(reply.usage(), 1));
        out.add(event("message_start", start));
        out.add(event("ping", JSON.createObjectNode().put("type", "ping")));
        int index = 0;
        if (!reply.reasoning().isEmpty()) {
            ObjectNode block = JSON.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", "");
            out.add(blockStart(index, block));
            for (String piece : reply.reasoningDeltas()) {
                out.add(delta(index, JSON.createObjectNode().put("type", "thinking_delta").put("thinking", piece)));
            }
            out.add(delta(index, JSON.createObjectNode().put("type", "signature_delta").put("signature", signature(reply))));
            out.add(blockStop(index++));
        }
        if (!reply.text().isEmpty()) {
            out.add(blockStart(index, JSON.createObjectNode().put("type", "text").put("text", "")));
            List<String> pieces = reply.textDeltas();
            for (int i = 0; i < pieces.size(); i++) {
                out.add(delta(index, JSON.createObjectNode().put("type", "text_delta").put("text", pieces.get(i))));
                if (i == pieces.size() / 2) {
                    out.add(event("ping", JSON.createObjectNode().put("type", "ping"))); // pings come anywhere
                }
            }
            out.add(blockStop(index++));
        }
        List<ToolCall> calls = reply.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", callId(calls.get(i), i))
                    .put("name", calls.get(i).name());
            block.putObject("input");
            out.add(blockStart(index, block));
            for (String fragment : FakeReply.fragments(json(parse(calls.get(i).arguments())))) {
                out.add(delta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", fragment)));
            }
            out.add(blockStop(index++));
        }
        ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", reply.stopReasonOr(calls.isEmpty() ? "end_turn" : "tool_use")).putNull("stop_sequence");
        // message_delta's usage is cumulative: the final output count, and the input counts again
        end.set("usage", usage(reply.usage(), reply.usage().outputTokens()));
        out.add(event("message_delta", end));
        out.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return out;
    }

    private static ObjectNode usage(Usage u, long output) {
        return JSON.createObjectNode().put("input_tokens", u.inputTokens()).put("output_tokens", output)
                .put("cache_creation_input_tokens", u.cacheWriteTokens())
                .put("cache_read_input_tokens", u.cacheReadTokens());
    }

    private static String blockStart(int index, ObjectNode block) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        return event("content_block_start", e);
    }

    private static String delta(int index, ObjectNode delta) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return event("content_block_delta", e);
    }

    private static String blockStop(int index) {
        return event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    private static String event(String name, ObjectNode data) {
        return "event: " + name + "\ndata: " + json(data) + "\n\n";
    }

    private static String callId(ToolCall call, int i) {
        return call.id().isEmpty() ? "toolu_fake_" + i : call.id();
    }

    /** A stand-in for the signature Anthropic puts on thinking blocks; the client must send it back unchanged. */
    static String signature(FakeReply reply) {
        return "sig-" + Integer.toHexString(reply.reasoning().hashCode());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("tool call arguments are not JSON: " + json, e);
        }
    }

    @Override
    protected String errorBody(String type, String message) {
        ObjectNode e = JSON.createObjectNode().put("type", "error");
        e.putObject("error").put("type", type).put("message", message);
        return json(e);
    }

    @Override
    protected String malformed() {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\n\n";
    }

    /** The system prompt of a Messages API request body, sent as a string or as text blocks. */
    public static String systemText(JsonNode body) {
        JsonNode system = body.path("system");
        if (!system.isArray()) {
            return system.asText();
        }
        StringBuilder text = new StringBuilder();
        system.forEach(b -> text.append(b.path("text").asText()));
        return text.toString();
    }
}
