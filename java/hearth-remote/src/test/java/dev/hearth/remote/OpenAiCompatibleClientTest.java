package dev.hearth.remote;

import static dev.hearth.remote.Fixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.StopReason;
import dev.hearth.api.Thinking;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.api.Usage;
import dev.hearth.testkit.RecordingSink;
import dev.hearth.testkit.upstream.FakeOpenAiServer.Flavor;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleClientTest {
    private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();

    private static FakeReply full() {
        return FakeReply.text("Sunny, 21 degrees.").withReasoning("Paris in spring; call the tool first.")
                .withToolCalls(List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("call_2", "get_weather", "{\"city\":\"Lyon\",\"units\":\"metric\"}")))
                .withUsage(new Usage(80, 44, 1920, 0, 12));
    }

    @Test
    void deepSeekStreamsReasoningAndToolCallsAndCountsCacheHitsAndMisses() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, Flavor.DEEPSEEK)) {
            fake.enqueue(full(), full());
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(Fixtures.config("deepseek", fake.baseUri(), sleeper));
            ChatResponse whole = client.chat(Fixtures.request("deepseek-flash"));
            RecordingSink sink = new RecordingSink();
            ChatResponse streamed = client.stream(Fixtures.request("deepseek-flash"), sink);
            assertThat(streamed).usingRecursiveComparison().ignoringFields("id").isEqualTo(whole);
            assertThat(whole.reasoning()).isEqualTo("Paris in spring; call the tool first.");
            assertThat(sink.reasoning()).isEqualTo(whole.reasoning());
            assertThat(whole.toolCalls()).hasSize(2);
            assertThat(whole.toolCalls().get(1).arguments()).isEqualTo("{\"city\":\"Lyon\",\"units\":\"metric\"}");
            assertThat(sink.toolCalls()).containsExactlyElementsOf(whole.toolCalls());
            assertThat(whole.stopReason()).isEqualTo(StopReason.TOOL_USE);
            assertThat(whole.usage()).isEqualTo(new Usage(80, 44, 1920, 0, 12));
            assertThat(streamed.usage()).isEqualTo(whole.usage());
            JsonNode sent = fake.lastRequest().json();
            assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(2048);
            assertThat(sent.has("seed")).as("no seed asked, none sent").isFalse();
            assertThat(fake.lastRequest().headers()).containsEntry("authorization", "Bearer " + KEY);
        }
    }

    @Test
    void deepSeekGetsTheReasoningBackOnlyOnTurnsThatCalledTools() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, Flavor.DEEPSEEK)) {
            fake.enqueue(full());
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(Fixtures.config("deepseek", fake.baseUri(), sleeper));
            ChatResponse toolTurn = client.chat(Fixtures.request("deepseek-flash"));
            List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("hi"),
                    new ChatMessage(dev.hearth.api.Role.ASSISTANT, "hello", "greeting them", List.of(), ""),
                    ChatMessage.user("Weather in Paris?"), toolTurn.toMessage(),
                    ChatMessage.tool("call_1", "{\"sky\":\"clear\"}"), ChatMessage.tool("call_2", "{\"sky\":\"rain\"}")));
            client.stream(Fixtures.request("deepseek-flash").withMessages(history).withThinking(Thinking.ON_DEFAULT)
                    .withTools(List.of(Fixtures.WEATHER), ToolChoice.AUTO), ChatSink.discard());
            JsonNode messages = fake.lastRequest().json().path("messages");
            assertThat(messages.get(1).has("reasoning_content")).as("a turn without tool calls").isFalse();
            assertThat(messages.get(3).path("reasoning_content").asText()).isEqualTo(toolTurn.reasoning());
            assertThat(messages.get(3).path("tool_calls").get(1).path("function").path("arguments").asText())
                    .isEqualTo("{\"city\":\"Lyon\",\"units\":\"metric\"}");
            assertThat(messages.get(4).path("role").asText()).isEqualTo("tool");
            assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_1");
            assertThat(fake.lastRequest().json().path("thinking").path("type").asText()).isEqualTo("enabled");
        }
    }

    @Test
    void openAiCountsCachedTokensAndTakesSchemasAndNamedToolChoices() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, Flavor.OPENAI)) {
            fake.nullChoicesInUsageChunk(true);
            fake.enqueue(FakeReply.text("{\"ok\":true}").withUsage(new Usage(100, 5, 1024, 0, 0)));
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(Fixtures.config("openai", fake.baseUri().resolve("/v1"),
                    sleeper));
            ChatResponse r = client.stream(Fixtures.request("gpt-5-mini")
                    .withResponseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true))
                    .withTools(List.of(Fixtures.WEATHER), ToolChoice.named("get_weather")).withSeed(1234567890123L),
                    ChatSink.discard());
            assertThat(r.content()).isEqualTo("{\"ok\":true}");
            assertThat(r.usage()).isEqualTo(new Usage(100, 5, 1024, 0, 0));
            assertThat(fake.lastRequest().path()).isEqualTo("/v1/chat/completions");
            JsonNode sent = fake.lastRequest().json();
            assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(2048);
            assertThat(sent.has("max_tokens")).isFalse();
            assertThat(sent.path("seed").asLong()).isEqualTo(1234567890123L);
            assertThat(sent.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
            assertThat(sent.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
        }
    }
}
