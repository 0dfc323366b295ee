package dev.hearth.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ToolCall;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's models over a remote vendor (a loopback fake speaking Anthropic's wire format), through the runtime. */
class RemoteChatModelTest {
    static final String KEY = "lc4j-test-key";
    static final String AWS_KEY = "AKIAQ3EGRT7XUZ5MB2LK";
    static final ToolSpecification WEATHER = ToolSpecification.builder().name("forecast")
            .description("The weather forecast for a city").parameters(JsonObjectSchema.builder()
                    .addStringProperty("city").required("city").build()).build();

    @TempDir
    Path dir;

    Hearth claude(FakeAnthropicServer fake, String... settings) {
        java.util.Map<String, String> env = new java.util.HashMap<>(CleanEnvironment.in(dir, "LLM_STRATEGY",
                "claude_only", "ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", fake.baseUri().toString()));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return Hearth.fromEnvironment(env);
    }

    @Test
    void aCredentialInAMessageReachesTheVendorRedactedAndTheCallIsInTheLedgerWithItsCost() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY); Hearth hearth = claude(fake)) {
            fake.enqueue(FakeReply.text("Rotate it now."));
            ChatResponse r = HearthChatModel.of(hearth).chat(ChatRequest.builder().messages(UserMessage.from(
                    "My deploy fails with access key " + AWS_KEY + ". Why?")).build());

            assertThat(r.aiMessage().text()).isEqualTo("Rotate it now.");
            assertThat(fake.lastRequest().body()).doesNotContain(AWS_KEY).contains("[REDACTED AWS access key id]");
            HearthChatResponseMetadata m = (HearthChatResponseMetadata) r.metadata();
            assertThat(m.sentTo()).isEqualTo("anthropic");
            assertThat(m.local()).isFalse();
            assertThat(m.redacted()).containsExactly("AWS access key id");
            assertThat(m.costUsd()).hasValueSatisfying(c -> assertThat(c).isPositive());
            assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
            hearth.flushCalls(); // a call's end is written off its request path
            CallRecord recorded = hearth.ledger().call(m.callId()).orElseThrow();
            assertThat(recorded.entryPoint()).isEqualTo(EntryPoint.LANGCHAIN4J);
            assertThat(recorded.provider()).isEqualTo("anthropic");
            assertThat(recorded.costUsd()).isEqualByComparingTo(m.costUsd().orElseThrow());
            assertThat(recorded.tokens().input()).isEqualTo((long) r.tokenUsage().inputTokenCount());
            assertThat(recorded.tokens().output()).isEqualTo((long) r.tokenUsage().outputTokenCount());
            assertThat(recorded.privacy()).isEqualTo("redact");
        }
    }

    @Test
    void toolSpecificationsAndResultsReachTheVendorAndItsToolCallComesBackAsAnExecutionRequest() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY); Hearth hearth = claude(fake)) {
            fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("tu_1", "forecast",
                    "{\"city\":\"Oslo\"}"))), FakeReply.text("Sunny in Oslo."));
            HearthChatModel model = HearthChatModel.of(hearth);
            UserMessage ask = UserMessage.from("Weather in Oslo?");
            ChatResponse first = model.chat(ChatRequest.builder().messages(ask).toolSpecifications(WEATHER).build());

            JsonNode tool = fake.lastRequest().json().path("tools").path(0);
            assertThat(tool.path("name").asText()).isEqualTo("forecast");
            assertThat(tool.path("description").asText()).isEqualTo("The weather forecast for a city");
            assertThat(tool.path("input_schema")).isEqualTo(new ObjectMapper().readTree(
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
            assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
            ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();
            assertThat(call.id()).isEqualTo("tu_1");
            assertThat(call.name()).isEqualTo("forecast");
            assertThat(new ObjectMapper().readTree(call.arguments()).path("city").asText()).isEqualTo("Oslo");

            ChatResponse second = model.chat(ChatRequest.builder().messages(ask, first.aiMessage(),
                    ToolExecutionResultMessage.from(call, "sunny")).toolSpecifications(WEATHER).build());
            JsonNode messages = fake.lastRequest().json().path("messages");
            assertThat(messages.path(1).path("content").path(0).path("type").asText()).isEqualTo("tool_use");
            assertThat(messages.path(1).path("content").path(0).path("id").asText()).isEqualTo("tu_1");
            JsonNode result = messages.path(2).path("content").path(0);
            assertThat(result.path("type").asText()).isEqualTo("tool_result");
            assertThat(result.path("tool_use_id").asText()).isEqualTo("tu_1");
            assertThat(result.toString()).contains("sunny");
            assertThat(second.aiMessage().text()).isEqualTo("Sunny in Oslo.");
        }
    }

    @Test
    void aStreamDeliversTheTextInPiecesAndEachToolCallAsAFragmentThenWhole() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY); Hearth hearth = claude(fake)) {
            fake.enqueue(FakeReply.text("Let me look that up.").withToolCalls(List.of(new ToolCall("tu_9", "forecast",
                    "{\"city\":\"Lima\"}"))));
            Collected collected = new Collected();
            HearthStreamingChatModel.of(hearth).chat(ChatRequest.builder().messages(UserMessage.from("Lima?"))
                    .toolSpecifications(WEATHER).build(), collected);
            ChatResponse r = collected.response();

            assertThat(collected.partials).hasSizeGreaterThan(1);
            assertThat(collected.text()).isEqualTo(r.aiMessage().text()).isEqualTo("Let me look that up.");
            assertThat(collected.fragments).singleElement().satisfies(f -> {
                assertThat(f.index()).isZero();
                assertThat(f.id()).isEqualTo("tu_9");
                assertThat(f.partialArguments()).contains("Lima");
            });
            assertThat(collected.calls).singleElement().satisfies(c -> assertThat(c.toolExecutionRequest())
                    .isEqualTo(r.aiMessage().toolExecutionRequests().getFirst()));
            assertThat(((HearthChatResponseMetadata) r.metadata()).sentTo()).isEqualTo("anthropic");
        }
    }

    @Test
    void failuresAreLangChain4jExceptionsThatSayWhatToDoAndListenersHearOfThem() throws Exception {
        List<Throwable> heard = new CopyOnWriteArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onError(ChatModelErrorContext context) {
                heard.add(context.error());
            }
        };
        ChatRequest leaky = ChatRequest.builder().messages(UserMessage.from("key " + AWS_KEY)).build();
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY);
             Hearth refusing = claude(fake, "HEARTH_PRIVACY", "refuse");
             Hearth wrongKey = claude(fake, "ANTHROPIC_API_KEY", "not-the-key")) {
            HearthChatOptions options = HearthChatOptions.defaults().withListeners(List.of(listener));
            assertThatThrownBy(() -> new HearthChatModel(refusing, options).chat(leaky))
                    .isInstanceOf(ContentFilteredException.class).hasMessageContaining("nothing was sent");
            assertThatThrownBy(() -> new HearthChatModel(wrongKey, options).chat(ChatRequest.builder()
                    .messages(UserMessage.from("Hello")).build())).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("check the API key");
            assertThatThrownBy(() -> new HearthChatModel(refusing, options.withModel("no-such-model.gguf"))
                    .chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build()))
                    .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("auto");
            assertThat(heard).hasSize(3);
            assertThat(fake.received()).as("only the wrong key's request went out").hasSize(1);

            Collected streamed = new Collected();
            HearthStreamingChatModel.of(refusing).chat(leaky, streamed);
            assertThatThrownBy(streamed::response).isInstanceOf(ContentFilteredException.class);
        }
    }
}
