package dev.hearth.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatSink;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.Completions;
import dev.hearth.server.responses.ResponseObjects.Kind;

/**
 * A response as the Responses API streams it: typed events, each with its {@code sequence_number}, from
 * {@code response.created} and {@code response.in_progress} (sent with the first delta, so a request refused before
 * anything was generated keeps its own status), through each output item (added, its content part added, text or
 * argument deltas, done), to {@code response.completed} (or {@code response.incomplete} when max_output_tokens cut
 * it), whose response holds the items as streamed. Used by the one thread that answers the request.
 */
public final class ResponseEvents implements ChatSink {
    /** Where the events go: {@code event: TYPE} and the event as {@code data}. */
    public interface Out {
        void send(String type, ObjectNode event);
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Out out;
    private final Completions.Answered who;
    private final ObjectNode echo;
    private final ArrayNode done = JSON.arrayNode();
    private int sequence;
    private boolean begun;
    private boolean spoke;
    private Kind open;
    private String openId;
    private final StringBuilder text = new StringBuilder();

    /** {@code who}: the response's id, creation time and the model the router chose. */
    public ResponseEvents(Out out, Completions.Answered who, ObjectNode echo) {
        this.out = out;
        this.who = who;
        this.echo = echo;
    }

    /** Whether any event went out. */
    public boolean begun() {
        return begun;
    }

    private void begin() {
        if (!begun) {
            begun = true;
            ObjectNode inProgress = ResponseObjects.response(who, echo, "in_progress", JSON.arrayNode(), null);
            send("response.created", JSON.objectNode().set("response", inProgress));
            send("response.in_progress", JSON.objectNode().set("response", inProgress.deepCopy()));
        }
    }

    @Override
    public void onContent(String delta) {
        if (!delta.isEmpty()) {
            open(Kind.MESSAGE);
            text.append(delta);
            send("response.output_text.delta", part().put("delta", delta).set("logprobs", JSON.arrayNode()));
        }
    }

    @Override
    public void onReasoning(String delta) {
        if (!delta.isEmpty()) {
            open(Kind.REASONING);
            text.append(delta);
            send("response.reasoning_text.delta", part().put("delta", delta));
        }
    }

    /** A whole call: its item added, the arguments as one delta, then done. */
    @Override
    public void onToolCall(ToolCall call) {
        begin();
        close("completed");
        int index = done.size();
        String id = ResponseObjects.itemId(Kind.FUNCTION_CALL, who, index);
        send("response.output_item.added", item(index, ResponseObjects.functionCall(id, "in_progress", call)));
        send("response.function_call_arguments.delta", JSON.objectNode().put("item_id", id).put("output_index", index)
                .put("delta", call.arguments()));
        send("response.function_call_arguments.done", JSON.objectNode().put("item_id", id).put("output_index", index)
                .put("name", call.name()).put("arguments", call.arguments()));
        ObjectNode item = ResponseObjects.functionCall(id, "completed", call);
        done.add(item);
        spoke = true;
        send("response.output_item.done", item(index, item));
    }

    /**
     * The last events: the open item closed (an empty message where nothing was said and no tool called, as a whole
     * response has), then the response with the items as streamed, under the id and model of {@code answered}.
     *
     * @return the final response object
     */
    public ObjectNode finish(Completions.Answered answered, StopReason reason, Usage usage) {
        begin();
        String status = ResponseObjects.status(reason);
        close(open == Kind.MESSAGE ? status : "completed");
        if (!spoke) {
            open(Kind.MESSAGE);
            close(status);
        }
        ObjectNode response = ResponseObjects.response(answered, echo, status, done.deepCopy(), usage);
        send(status.equals("incomplete") ? "response.incomplete" : "response.completed",
                JSON.objectNode().set("response", response));
        return response;
    }

    /** A failure after the stream began: OpenAI's {@code error} event. */
    public void fail(ApiError e) {
        send("error", JSON.objectNode().put("code", e.code()).put("message", e.message()).put("param", e.param()));
    }

    private void open(Kind kind) {
        begin();
        if (open == kind) {
            return;
        }
        close("completed");
        open = kind;
        int index = done.size();
        openId = ResponseObjects.itemId(kind, who, index);
        boolean message = kind == Kind.MESSAGE;
        send("response.output_item.added", item(index, message ? ResponseObjects.message(openId, "in_progress", null)
                : ResponseObjects.reasoning(openId, "in_progress", null)));
        send("response.content_part.added", part().set("part", message ? ResponseObjects.outputText("")
                : ResponseObjects.reasoningText("")));
    }

    private void close(String status) {
        if (open == null) {
            return;
        }
        String all = text.toString();
        boolean message = open == Kind.MESSAGE;
        if (message) {
            send("response.output_text.done", part().put("text", all).set("logprobs", JSON.arrayNode()));
        } else {
            send("response.reasoning_text.done", part().put("text", all));
        }
        send("response.content_part.done", part().set("part", message ? ResponseObjects.outputText(all)
                : ResponseObjects.reasoningText(all)));
        ObjectNode item = message ? ResponseObjects.message(openId, status, all)
                : ResponseObjects.reasoning(openId, "completed", all);
        int index = done.size();
        done.add(item);
        spoke |= message;
        send("response.output_item.done", item(index, item));
        open = null;
        text.setLength(0);
    }

    /** The fields that place a content part: its item, the item's place, the part's place (always 0). */
    private ObjectNode part() {
        return JSON.objectNode().put("item_id", openId).put("output_index", done.size()).put("content_index", 0);
    }

    private static ObjectNode item(int index, ObjectNode item) {
        ObjectNode out = JSON.objectNode().put("output_index", index);
        out.set("item", item);
        return out;
    }

    private void send(String type, ObjectNode fields) {
        ObjectNode event = JSON.objectNode().put("type", type).put("sequence_number", sequence++);
        event.setAll(fields);
        out.send(type, event);
    }
}
