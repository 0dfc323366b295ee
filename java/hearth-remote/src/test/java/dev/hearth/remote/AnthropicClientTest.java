package dev.hearth.remote;

import static dev.hearth.remote.Fixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.StopReason;
import dev.hearth.api.Thinking;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.api.Usage;
import dev.hearth.testkit.RecordingSink;
import dev.hearth.testkit.upstream.Fault;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicClientTest {
    private FakeAnthropicServer fake;
    private AnthropicClient client;
    private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAnthropicServer(KEY);
        client = new AnthropicClient(Fixtures.config("anthropic", fake.baseUri(), sleeper));
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private static FakeReply full() {
        return FakeReply.text("It will be sunny in Paris tomorrow.").withReasoning("The user wants weather. I know it.")
                .withToolCalls(List.of(new ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\",\"days\":2}")))
                .withUsage(new Usage(120, 57, 2048, 300, 0));
    }

    @Test
    void streamedAndWholeAnswersReassembleToTheSameResponse() throws Exception {
        fake.enqueue(full(), full());
        ChatResponse whole = client.chat(Fixtures.request("claude-sonnet-4-6"));
        RecordingSink sink = new RecordingSink();
        ChatResponse streamed = client.stream(Fixtures.request("claude-sonnet-4-6"), sink);
        assertThat(streamed.id()).startsWith("msg_fake_");
        assertThat(streamed).usingRecursiveComparison().ignoringFields("id").isEqualTo(whole);
        assertThat(whole.content()).isEqualTo("It will be sunny in Paris tomorrow.");
        assertThat(whole.reasoning()).isEqualTo("The user wants weather. I know it.");
        assertThat(whole.reasoningSignature()).isNotEmpty();
        assertThat(whole.toolCalls()).containsExactly(new ToolCall("toolu_01", "get_weather",
                "{\"city\":\"Paris\",\"days\":2}"));
        assertThat(whole.stopReason()).isEqualTo(StopReason.TOOL_USE);
        // message_delta repeats the input counts and gives the final output count: taken, never added up
        assertThat(streamed.usage()).isEqualTo(new Usage(120, 57, 2048, 300, 0));
        assertThat(sink.contentDeltas()).hasSizeGreaterThan(3);
        assertThat(sink.content()).isEqualTo(whole.content());
        assertThat(sink.reasoning()).isEqualTo(whole.reasoning());
        assertThat(sink.toolCalls()).containsExactlyElementsOf(whole.toolCalls());
        assertThat(fake.lastRequest().json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void theRequestCarriesSystemTurnsToolsToolResultsAndSignedThinking() throws Exception {
        ChatResponse first = client.chat(Fixtures.request("claude-sonnet-4-6"));
        fake.enqueue(full());
        ChatResponse withTool = client.chat(Fixtures.request("claude-sonnet-4-6"));
        List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.system("Be brief."),
                ChatMessage.system("Use tools."), ChatMessage.user("Weather in Paris?")));
        history.add(withTool.toMessage());
        history.add(ChatMessage.tool("toolu_01", "{\"sky\":\"clear\"}"));
        history.add(ChatMessage.tool("toolu_02", "{\"sky\":\"rain\"}"));
        client.chat(Fixtures.request("claude-opus-4-5").withMessages(history)
                .withTools(List.of(Fixtures.WEATHER), ToolChoice.named("get_weather"))
                .withStop(List.of("END")).withTemperature(0.3).withSeed(7L).withThinking(Thinking.on(1500)));
        assertThat(first.content()).isEqualTo("Hello from the fake upstream.");
        var sent = fake.lastRequest();
        assertThat(sent.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01");
        assertThat(sent.path()).isEqualTo("/v1/messages");
        JsonNode body = sent.json();
        assertThat(FakeAnthropicServer.systemText(body)).isEqualTo("Be brief.\n\nUse tools.");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(2048);
        assertThat(body.path("stop_sequences").get(0).asText()).isEqualTo("END");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.has("seed")).as("Anthropic's API takes no seed").isFalse();
        assertThat(body.path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(1500);
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("tool");
        assertThat(body.path("tools").get(0).path("input_schema").path("required").get(0).asText()).isEqualTo("city");
        JsonNode messages = body.path("messages");
        assertThat(messages).hasSize(3); // user, assistant, user (both tool results in one turn)
        JsonNode assistant = messages.get(1).path("content");
        assertThat(assistant.get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(assistant.get(0).path("signature").asText()).isEqualTo(withTool.reasoningSignature());
        assertThat(assistant.get(1).path("text").asText()).isEqualTo(withTool.content());
        assertThat(assistant.get(2).path("type").asText()).isEqualTo("tool_use");
        assertThat(assistant.get(2).path("input").path("city").asText()).isEqualTo("Paris");
        JsonNode results = messages.get(2).path("content");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).path("type").asText()).isEqualTo("tool_result");
        assertThat(results.get(1).path("tool_use_id").asText()).isEqualTo("toolu_02");
    }

    @Test
    void anErrorEventAfterOutputKeepsThePartialAnswerAndIsNotRetried() {
        fake.enqueue(full().withFault(new Fault.ErrorEventAfter(12, "overloaded_error", "Overloaded")));
        assertThatThrownBy(() -> client.stream(Fixtures.request("claude-sonnet-4-6"), ChatSink.discard()))
                .isInstanceOfSatisfying(ProviderException.StreamBroken.class, e -> {
                    assertThat(e.partial().reasoning()).isNotEmpty();
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getCause()).isInstanceOf(ProviderException.Overloaded.class);
                });
        assertThat(fake.received()).hasSize(1);
    }

    @Test
    void anErrorEventBeforeAnyOutputIsTypedAndRetried() throws Exception {
        fake.enqueue(FakeReply.text("fine").withFault(new Fault.ErrorEventAfter(1, "overloaded_error", "Overloaded")));
        ChatResponse r = client.stream(Fixtures.request("claude-sonnet-4-6"), ChatSink.discard());
        assertThat(r.content()).isEqualTo("Hello from the fake upstream.");
        assertThat(fake.received()).hasSize(2);
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void aJsonSchemaGoesOutAsStructuredOutputMadeStrictAndTheJsonAnswerComesBack() throws Exception {
        String schema = """
                {"type": "object",
                 "properties": {
                   "city": {"type": "string", "maxLength": 40},
                   "days": {"type": "integer", "minimum": 1, "maximum": 7},
                   "stops": {"type": "array", "minItems": 2, "items": {"type": "object",
                             "properties": {"name": {"type": "string"}}, "required": ["name"]}}},
                 "required": ["city", "days"]}""";
        fake.enqueue(FakeReply.text("{\"city\":\"Paris\",\"days\":2}"));
        ChatResponse r = client.chat(Fixtures.request("claude-sonnet-4-6")
                .withResponseFormat(ResponseFormat.jsonSchema("trip", schema, true)));
        assertThat(r.content()).isEqualTo("{\"city\":\"Paris\",\"days\":2}");
        JsonNode format = fake.lastRequest().json().path("output_config").path("format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        JsonNode sent = format.path("schema");
        assertThat(sent.path("additionalProperties").asBoolean(true)).as("every object closed").isFalse();
        JsonNode stopItem = sent.path("properties").path("stops").path("items");
        assertThat(stopItem.path("additionalProperties").isBoolean()).isTrue();
        assertThat(stopItem.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(sent.path("properties").path("days").has("minimum")).as("not enforced by the API: removed").isFalse();
        assertThat(sent.path("properties").path("days").has("maximum")).isFalse();
        assertThat(sent.path("properties").path("city").has("maxLength")).isFalse();
        assertThat(sent.path("properties").path("stops").has("minItems")).isFalse();
        assertThat(sent.path("required")).hasSize(2);
        assertThat(client.capabilities().jsonSchema()).isTrue();
    }

    @Test
    void aRefusalUnderStructuredOutputIsReportedAsSuch() throws Exception {
        fake.enqueue(FakeReply.text("I can't help with that.").withStopReason("refusal"));
        ChatResponse r = client.chat(Fixtures.request("claude-sonnet-4-6")
                .withResponseFormat(ResponseFormat.jsonSchema("x", "{\"type\":\"object\",\"properties\":{}}", true)));
        assertThat(r.stopReason()).isEqualTo(StopReason.REFUSAL);
    }

    @Test
    void freeFormJsonMapsAndBadThinkingBudgetsAreRefusedBeforeSending() {
        assertThatThrownBy(() -> client.chat(Fixtures.request("claude-sonnet-4-6")
                .withResponseFormat(ResponseFormat.JSON_OBJECT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no free-form JSON mode");
        assertThatThrownBy(() -> client.chat(Fixtures.request("claude-sonnet-4-6").withResponseFormat(ResponseFormat
                .jsonSchema("m", "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}", true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot express a map")
                .hasMessageContaining("at #");
        assertThatThrownBy(() -> client.chat(Fixtures.request("claude-sonnet-4-6").withMaxTokens(1000)
                .withThinking(Thinking.on(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raise maxTokens");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void theSystemPromptAndAConversationsLastTurnAreMarkedForThePromptCache() throws Exception {
        fake.enqueue(FakeReply.text("Two."), FakeReply.text("Three."), FakeReply.text("Four."));
        List<ChatMessage> first = List.of(ChatMessage.system("You count."), ChatMessage.user("One?"));
        client.chat(Fixtures.request("claude-sonnet-4-6").withMessages(first));
        JsonNode body = fake.lastRequest().json();
        assertThat(body.path("system").isArray()).as("the system prompt as a block, to carry the breakpoint").isTrue();
        assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("You count.");
        assertThat(body.path("system").get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(body.path("messages").get(0).path("content").get(0).has("cache_control"))
                .as("a first turn is not worth a second breakpoint").isFalse();

        List<ChatMessage> second = List.of(ChatMessage.system("You count."), ChatMessage.user("One?"),
                ChatMessage.assistant("Two."), ChatMessage.user("And then?"));
        client.chat(Fixtures.request("claude-sonnet-4-6").withMessages(second));
        body = fake.lastRequest().json();
        JsonNode last = body.path("messages").get(2).path("content").get(0);
        assertThat(last.path("text").asText()).isEqualTo("And then?");
        assertThat(last.path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(body.toString().split("cache_control", -1)).hasSize(3); // two breakpoints of the four allowed

        AnthropicClient off = new AnthropicClient(Fixtures.config("anthropic", fake.baseUri(), sleeper), PromptCache.OFF);
        off.chat(Fixtures.request("claude-sonnet-4-6").withMessages(second));
        assertThat(fake.lastRequest().json().path("system").asText()).isEqualTo("You count.");
        assertThat(fake.lastRequest().json().toString()).doesNotContain("cache_control");
    }

    @Test
    void withoutASystemPromptTheToolsCarryTheBreakpointAndTheSettingIsChecked() throws Exception {
        fake.enqueue(FakeReply.text("ok"));
        client.chat(Fixtures.request("claude-sonnet-4-6").withMessages(List.of(ChatMessage.user("Hi"))).withTools(List.of(
                new dev.hearth.api.Tool("a", "first", "{\"type\":\"object\"}"),
                new dev.hearth.api.Tool("b", "second", "{\"type\":\"object\"}")), ToolChoice.AUTO));
        JsonNode tools = fake.lastRequest().json().path("tools");
        assertThat(tools.get(0).has("cache_control")).isFalse();
        assertThat(tools.get(1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(PromptCache.fromEnvironment(java.util.Map.of())).isEqualTo(PromptCache.AUTO);
        assertThat(PromptCache.fromEnvironment(java.util.Map.of("ANTHROPIC_PROMPT_CACHE", "off"))).isEqualTo(PromptCache.OFF);
        assertThatThrownBy(() -> PromptCache.fromEnvironment(java.util.Map.of("ANTHROPIC_PROMPT_CACHE", "always")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto or off");
    }
}
