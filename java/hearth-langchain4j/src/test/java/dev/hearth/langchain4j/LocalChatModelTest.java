package dev.hearth.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.hearth.api.HearthHome;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.CacheMode;
import dev.hearth.runtime.CallOptions;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.LocalOptions;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's models over a local synthetic model, through the whole runtime (router, engine, ledger in SQLite). */
class LocalChatModelTest {
    @TempDir
    static Path dir;
    static Path gguf;
    /** The same model, run with a tool-calling chat template (a model of its own: a template is set per model). */
    static Path toolModel;
    static Hearth hearth;

    @BeforeAll
    static void start() {
        gguf = dir.resolve("models").resolve("tiny.gguf");
        SyntheticModel.tiny().write(gguf);
        toolModel = dir.resolve("models").resolve("tiny-tools.gguf");
        SyntheticModel.tiny().write(toolModel);
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny"));
    }

    /** Qwen 2.5's chat template, as the pinned llama.cpp source ships it (installed under HEARTH_HOME). */
    static String qwenTemplate() throws java.io.IOException {
        Path file = HearthHome.of(System.getenv()).resolve("llama.cpp")
                .resolve(System.getProperty("hearth.llama.release", "")).resolve("src").resolve("models")
                .resolve("templates").resolve("Qwen-Qwen2.5-7B-Instruct.jinja");
        assertThat(file).as("installed by scripts/setup-local-llm.sh").isRegularFile();
        return java.nio.file.Files.readString(file);
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    enum City { OSLO, PARIS, LIMA }

    /** The tool an assistant must call; it records each call. */
    static final class Weather {
        final List<City> asked = new CopyOnWriteArrayList<>();

        @Tool("The weather forecast for a city")
        String forecast(@P("the city") City city) {
            asked.add(city);
            return "sunny in " + city;
        }
    }

    interface Assistant {
        String chat(String message);
    }

    /** Records what a model was asked and what it answered, as LangChain4j's listeners hear it. */
    static final class Recorder implements ChatModelListener {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        final List<ChatResponse> responses = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(ChatModelRequestContext context) {
            requests.add(context.chatRequest());
        }

        @Override
        public void onResponse(ChatModelResponseContext context) {
            responses.add(context.chatResponse());
        }
    }

    @Test
    void anAiServiceToolForcedByToolChoiceRequiredRunsAndTheFinalAnswerFollowsItsResultIntoTheLedger()
            throws Exception {
        Recorder recorder = new Recorder();
        Weather weather = new Weather();
        // the model's own ChatML template has no tool-call format; Qwen 2.5's has one (Hermes style) for a grammar
        HearthChatModel model = new HearthChatModel(hearth, HearthChatOptions.defaults().withModel(toolModel.toString())
                .withLocal(new LocalOptions(0, qwenTemplate(), 40, 0, false)).withListeners(List.of(recorder))
                .withParameters(ChatRequestParameters.builder().temperature(0.0).maxOutputTokens(512).build()));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(weather)
                .chatRequestTransformer(ToolTurns.requiredThenAnswer()).build();

        String answer = assistant.chat("What will the weather be in Oslo?");

        assertThat(recorder.requests).as("asked %s, answered %s", recorder.requests, recorder.responses).hasSize(2);
        assertThat(recorder.requests.getFirst().toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(recorder.requests.getFirst().toolSpecifications()).extracting(s -> s.name())
                .containsExactly("forecast");
        AiMessage call = recorder.responses.getFirst().aiMessage();
        assertThat(recorder.responses.getFirst().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(call.toolExecutionRequests()).isNotEmpty().allSatisfy(r -> assertThat(r.name())
                .isEqualTo("forecast"));
        assertThat(weather.asked).as("the tool ran once per call the model made")
                .hasSameSizeAs(call.toolExecutionRequests());
        // each result went back under its call's id, and the answer that followed them is what the service returned
        List<ToolExecutionResultMessage> results = recorder.requests.get(1).messages().stream()
                .filter(ToolExecutionResultMessage.class::isInstance).map(ToolExecutionResultMessage.class::cast)
                .toList();
        assertThat(results).extracting(ToolExecutionResultMessage::id)
                .containsExactlyElementsOf(call.toolExecutionRequests().stream().map(r -> r.id()).toList());
        assertThat(results).extracting(ToolExecutionResultMessage::text)
                .containsExactlyElementsOf(weather.asked.stream().map(c -> "sunny in " + c).toList());
        assertThat(recorder.requests.get(1).toolChoice()).isEqualTo(ToolChoice.NONE);
        ChatResponse last = recorder.responses.get(1);
        assertThat(last.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(answer).isEqualTo(last.aiMessage().text());
        // each answer says who answered and why, and its call is in the ledger with the usage it reported
        hearth.flushCalls();
        for (ChatResponse r : recorder.responses) {
            HearthChatResponseMetadata m = (HearthChatResponseMetadata) r.metadata();
            assertThat(m.answeredBy()).contains("tiny-tools"); // by its path or, once known, its name in the cache
            assertThat(m.local()).isTrue();
            assertThat(m.sentTo()).isEmpty();
            assertThat(m.reason()).isNotBlank();
            assertThat(m.costUsd()).hasValueSatisfying(c -> assertThat(c).isZero());
            CallRecord recorded = hearth.ledger().call(m.callId()).orElseThrow();
            assertThat(recorded.entryPoint()).isEqualTo(EntryPoint.LANGCHAIN4J);
            assertThat(recorded.model()).isEqualTo(m.answeredBy());
            assertThat(recorded.tokens().input()).isEqualTo((long) r.tokenUsage().inputTokenCount()).isPositive();
            assertThat(recorded.tokens().output()).isEqualTo((long) r.tokenUsage().outputTokenCount()).isPositive();
        }
    }

    @Test
    void streamingDeliversTheSameTextAsBlockingAtTemperatureZero() throws Exception {
        HearthChatOptions options = HearthChatOptions.defaults().withModel(gguf.toString())
                .withCall(CallOptions.cache(CacheMode.BYPASS)); // each answer from the model, none from the cache
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Tell me about the sea."))
                .temperature(0.0).maxOutputTokens(24).build();

        ChatResponse blocking = new HearthChatModel(hearth, options).chat(request);
        Collected collected = new Collected();
        new HearthStreamingChatModel(hearth, options).chat(request, collected);
        ChatResponse streamed = collected.response();

        assertThat(blocking.aiMessage().text()).isNotEmpty();
        assertThat(collected.text()).isEqualTo(streamed.aiMessage().text()).isEqualTo(blocking.aiMessage().text());
        assertThat(streamed.tokenUsage()).isEqualTo(blocking.tokenUsage());
        assertThat(streamed.finishReason()).isEqualTo(blocking.finishReason());
        assertThat(((HearthChatResponseMetadata) streamed.metadata()).answeredBy())
                .isEqualTo(((HearthChatResponseMetadata) blocking.metadata()).answeredBy());
    }

    @Test
    void aHandlerThatCancelsHearsNothingMoreAndTheCallIsRecordedCancelled() throws Exception {
        HearthChatOptions options = HearthChatOptions.defaults().withModel(gguf.toString())
                .withCall(CallOptions.cache(CacheMode.BYPASS));
        List<String> partials = new CopyOnWriteArrayList<>();
        List<Object> after = new CopyOnWriteArrayList<>();
        // run on the calling thread, so the call has ended when chat returns
        new HearthStreamingChatModel(hearth, options, Runnable::run).chat(ChatRequest.builder()
                .messages(UserMessage.from("Tell me a long story.")).temperature(0.0).maxOutputTokens(64).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                        partials.add(partial.text());
                        context.streamingHandle().cancel();
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        after.add(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        after.add(error);
                    }
                });

        assertThat(partials).hasSize(1);
        assertThat(after).as("neither a response nor an error after the cancel").isEmpty();
        hearth.flushCalls();
        assertThat(hearth.ledger().recentCalls(1)).singleElement().satisfies(c -> {
            assertThat(c.entryPoint()).isEqualTo(EntryPoint.LANGCHAIN4J);
            assertThat(c.outcome()).isEqualTo(dev.hearth.ledger.CallEnd.CANCELLED);
        });
    }

    @Test
    void aJsonSchemaResponseFormatYieldsAnObjectValidAgainstTheSchema() throws Exception {
        JsonSchema schema = JsonSchema.builder().name("forecast").rootElement(JsonObjectSchema.builder()
                .addEnumProperty("sky", List.of("sunny", "cloudy", "rainy")).addBooleanProperty("windy")
                .required("sky", "windy").additionalProperties(false).build()).build();
        String expected = """
                {"type": "object", "properties": {"sky": {"type": "string", "enum": ["sunny", "cloudy", "rainy"]},
                 "windy": {"type": "boolean"}}, "required": ["sky", "windy"], "additionalProperties": false}""";

        ChatResponse r = HearthChatModel.of(hearth).chat(ChatRequest.builder()
                .messages(UserMessage.from("The forecast for Oslo, as JSON."))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build())
                .maxOutputTokens(400).build());

        assertThat(r.finishReason()).as(r.aiMessage().text()).isEqualTo(FinishReason.STOP);
        var validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(expected);
        assertThat(validator.validate(new ObjectMapper().readTree(r.aiMessage().text()))).as(r.aiMessage().text())
                .isEmpty();
    }
}
