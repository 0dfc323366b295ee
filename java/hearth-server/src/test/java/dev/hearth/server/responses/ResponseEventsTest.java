package dev.hearth.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.server.openai.Completions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses in the Responses API's shapes, whole and as typed events, without sockets. */
class ResponseEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Completions.Answered WHO = new Completions.Answered("resp_abc", "tiny", true, "", 1700000000);
    private static final Completions.Answered DONE = new Completions.Answered("resp_abc", "tiny", true, "42", 1700000000);
    private static final ToolCall CALL = new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}");

    private static ObjectNode echo() throws Exception {
        return ResponsesRequest.read(JSON.readTree("{\"model\":\"tiny\",\"input\":\"x\"}")).echo();
    }

    private record Sent(String type, ObjectNode event) {
    }

    @Test
    void reasoningThenTextThenACallStreamAsItemsEachAddedFilledAndDoneInSequence() throws Exception {
        List<Sent> sent = new ArrayList<>();
        ResponseEvents events = new ResponseEvents((t, e) -> sent.add(new Sent(t, e)), WHO, echo());
        assertThat(events.begun()).isFalse();
        events.onReasoning("let me ");
        events.onReasoning("see");
        events.onContent("Sun");
        events.onContent("ny.");
        events.onToolCall(CALL);
        ObjectNode last = events.finish(DONE, StopReason.TOOL_USE, new Usage(7, 5, 0, 0, 2));
        assertThat(sent).extracting(Sent::type).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                "response.reasoning_text.delta", "response.reasoning_text.delta", "response.reasoning_text.done",
                "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed");
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).event().get("type").asText()).isEqualTo(sent.get(i).type());
            assertThat(sent.get(i).event().get("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(sent.get(0).event().at("/response/status").asText()).isEqualTo("in_progress");
        assertThat(sent.get(0).event().at("/response/output")).isEmpty();
        JsonNode delta = sent.get(11).event();
        assertThat(delta.get("item_id").asText()).isEqualTo("msg_abc_1");
        assertThat(delta.get("output_index").asInt()).isEqualTo(1);
        assertThat(delta.get("content_index").asInt()).isZero();
        assertThat(delta.get("delta").asText()).isEqualTo("Sun");
        assertThat(sent.get(13).event().get("text").asText()).isEqualTo("Sunny.");
        assertThat(sent.get(18).event().get("arguments").asText()).isEqualTo(CALL.arguments());
        assertThat(sent.get(16).event().at("/item/status").asText()).isEqualTo("in_progress");

        assertThat(last).isEqualTo(sent.getLast().event().get("response"));
        assertThat(last.get("status").asText()).isEqualTo("completed");
        assertThat(last.at("/hearth/call_id").asText()).isEqualTo("42");
        assertThat(last.at("/usage/total_tokens").asLong()).isEqualTo(12);
        assertThat(last.at("/usage/output_tokens_details/reasoning_tokens").asLong()).isEqualTo(2);
        JsonNode output = last.get("output");
        for (int i : new int[] {8, 15, 19}) {
            assertThat(output).contains(sent.get(i).event().get("item"));
        }
        ChatResponse same = new ChatResponse("", "tiny", "Sunny.", "let me see", "", List.of(CALL), StopReason.TOOL_USE,
                "tool_calls", new Usage(7, 5, 0, 0, 2));
        assertThat(ResponseObjects.whole(same, DONE, echo())).as("streamed and whole alike").isEqualTo(last);
    }

    @Test
    void aWholeResponseHasOpenAisShape() throws Exception {
        ChatResponse r = new ChatResponse("", "tiny", "Hello.", "", "", List.of(), StopReason.END_TURN, "stop",
                new Usage(3, 2, 1, 0, 0));
        ObjectNode whole = ResponseObjects.whole(r, DONE, echo());
        assertThat(whole.get("object").asText()).isEqualTo("response");
        assertThat(whole.get("id").asText()).isEqualTo("resp_abc");
        assertThat(whole.get("created_at").asLong()).isEqualTo(1700000000);
        assertThat(whole.get("error").isNull()).isTrue();
        assertThat(whole.get("store").asBoolean()).isFalse();
        assertThat(whole.get("output").toString()).isEqualTo("[{\"id\":\"msg_abc_0\",\"type\":\"message\",\"status\":"
                + "\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello.\","
                + "\"annotations\":[],\"logprobs\":[]}]}]");
        assertThat(whole.get("usage").toString()).isEqualTo("{\"input_tokens\":4,\"input_tokens_details\":"
                + "{\"cached_tokens\":1,\"cache_write_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":"
                + "{\"reasoning_tokens\":0},\"total_tokens\":6}");
    }

    @Test
    void anAnswerCutAtMaxOutputTokensIsIncompleteAndNothingSaidIsStillAMessage() throws Exception {
        List<Sent> sent = new ArrayList<>();
        ResponseEvents events = new ResponseEvents((t, e) -> sent.add(new Sent(t, e)), WHO, echo());
        ObjectNode last = events.finish(DONE, StopReason.MAX_TOKENS, new Usage(3, 0, 0, 0, 0));
        assertThat(sent.getLast().type()).isEqualTo("response.incomplete");
        assertThat(last.get("status").asText()).isEqualTo("incomplete");
        assertThat(last.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
        assertThat(last.at("/output/0/type").asText()).isEqualTo("message");
        assertThat(last.at("/output/0/status").asText()).isEqualTo("incomplete");
        ChatResponse empty = new ChatResponse("", "tiny", "", "", "", List.of(), StopReason.MAX_TOKENS, "length",
                new Usage(3, 0, 0, 0, 0));
        assertThat(ResponseObjects.whole(empty, DONE, echo())).isEqualTo(last);
    }
}
