package dev.hearth.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.api.Usage;
import dev.hearth.router.SpendRefusedException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge between LangChain4j's vocabulary and Hearth's, without a model: requests, answers' parts, failures. */
class TranslationTest {
    static final ToolSpecification WEATHER = ToolSpecification.builder().name("forecast").description("weather")
            .parameters(JsonObjectSchema.builder().addIntegerProperty("days").required("days").build()).build();

    @Test
    void everyKindOfMessageBecomesHearthsAndToolCallsKeepTheirIds() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("forecast").arguments("{\"days\":2}")
                .build();
        var hearth = Requests.of(ChatRequest.builder().messages(SystemMessage.from("Be brief."),
                UserMessage.from(TextContent.from("Weather?"), TextContent.from("In Oslo.")),
                AiMessage.builder().text("Checking.").thinking("Call the tool.").toolExecutionRequests(List.of(call))
                        .build(), ToolExecutionResultMessage.from(call, "sunny")).toolSpecifications(WEATHER)
                .toolChoice(dev.langchain4j.model.chat.request.ToolChoice.REQUIRED).temperature(0.2).topP(0.9)
                .maxOutputTokens(77).stopSequences(List.of("END")).build(), "tiny");
        assertThat(hearth.model()).isEqualTo("tiny");
        assertThat(hearth.messages()).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.user("Weather?\nIn Oslo."),
                new ChatMessage(Role.ASSISTANT, "Checking.", "Call the tool.", List.of(new ToolCall("c1", "forecast",
                        "{\"days\":2}")), ""), ChatMessage.tool("c1", "sunny"));
        assertThat(hearth.tools()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("forecast");
            assertThat(t.parameters()).isEqualTo("{\"type\":\"object\",\"properties\":{\"days\":{\"type\":\"integer\"}},"
                    + "\"required\":[\"days\"]}");
        });
        assertThat(hearth.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(hearth.temperature()).isEqualTo(0.2);
        assertThat(hearth.topP()).isEqualTo(0.9);
        assertThat(hearth.maxTokens()).isEqualTo(77);
        assertThat(hearth.stop()).containsExactly("END");
        assertThat(hearth.responseFormat()).isEqualTo(ResponseFormat.TEXT);
    }

    @Test
    void aJsonResponseFormatBecomesHearthsSchemaOutputOrAnyObject() {
        JsonSchema schema = JsonSchema.builder().name("answer").rootElement(JsonObjectSchema.builder()
                .addBooleanProperty("yes").build()).build();
        var withSchema = Requests.of(ChatRequest.builder().messages(UserMessage.from("?"))
                .responseFormat(dev.langchain4j.model.chat.request.ResponseFormat.builder()
                        .type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON).jsonSchema(schema).build())
                .build(), "m");
        assertThat(withSchema.responseFormat()).isEqualTo(ResponseFormat.jsonSchema("answer",
                "{\"type\":\"object\",\"properties\":{\"yes\":{\"type\":\"boolean\"}},\"required\":[]}", false));
        var anyObject = Requests.of(ChatRequest.builder().messages(UserMessage.from("?"))
                .responseFormat(dev.langchain4j.model.chat.request.ResponseFormat.JSON).build(), "m");
        assertThat(anyObject.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void whatHearthHasNoFieldForIsRefusedWithWhatToDoNotDropped() {
        UserMessage image = UserMessage.from(TextContent.from("What is this?"),
                ImageContent.from("aGVsbG8=", "image/png"));
        assertThatThrownBy(() -> Requests.of(ChatRequest.builder().messages(image).build(), "m"))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("text only")
                .hasMessageContaining("IMAGE");
        assertThatThrownBy(() -> Requests.of(ChatRequest.builder().messages(UserMessage.from("x")).topK(5).build(),
                "m")).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("withLocal");
        assertThatThrownBy(() -> Requests.of(ChatRequest.builder().messages(UserMessage.from("x"))
                .presencePenalty(0.5).build(), "m")).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("presencePenalty");
        assertThatThrownBy(() -> Requests.of(ChatRequest.builder().messages(UserMessage.from("x"))
                .toolChoice(dev.langchain4j.model.chat.request.ToolChoice.REQUIRED).build(), "m"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at least one tool specification");
    }

    @Test
    void everyStopReasonHasAFinishReasonAndUsageCountsEveryInputToken() {
        Map<StopReason, FinishReason> expected = Map.of(StopReason.END_TURN, FinishReason.STOP,
                StopReason.STOP_SEQUENCE, FinishReason.STOP, StopReason.MAX_TOKENS, FinishReason.LENGTH,
                StopReason.TOOL_USE, FinishReason.TOOL_EXECUTION, StopReason.REFUSAL, FinishReason.CONTENT_FILTER,
                StopReason.CANCELLED, FinishReason.OTHER, StopReason.OTHER, FinishReason.OTHER);
        assertThat(expected.keySet()).as("a new stop reason needs its finish reason here")
                .containsExactlyInAnyOrder(StopReason.values());
        expected.forEach((stop, finish) -> assertThat(Responses.finishReason(stop)).as("%s", stop).isEqualTo(finish));
        assertThat(Responses.usage(new Usage(10, 5, 3, 2, 1))).isEqualTo(new TokenUsage(15, 5, 20));
    }

    @Test
    void hearthsFailuresBecomeLangChain4jsExceptionsKeepingTheMessageAndTheCause() {
        var rateLimited = new ProviderException.RateLimited("anthropic", "slow down", Duration.ofSeconds(3));
        assertThat(Failures.of(rateLimited)).isInstanceOf(RateLimitException.class).hasCause(rateLimited)
                .hasMessageContaining("slow down");
        assertThat(Failures.of(new ProviderException.AuthenticationFailed("deepseek", 401, "bad key")))
                .isInstanceOf(AuthenticationException.class);
        assertThat(Failures.of(new ProviderException.ServerError("anthropic", 500, "boom", null)))
                .isInstanceOf(InternalServerException.class);
        assertThat(Failures.of(new ProviderException.TimedOut("anthropic", ProviderException.TimedOut.Phase.TOTAL,
                Duration.ofSeconds(1), null))).isInstanceOf(TimeoutException.class);
        assertThat(Failures.of(new ContextOverflowException(900, 512))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("shorten the prompt");
        assertThat(Failures.of(new SpendRefusedException("the budget is spent"))).isInstanceOf(
                NonRetriableException.class).hasMessageContaining("budget");
        assertThat(Failures.of(new IllegalArgumentException("max_tokens must be positive")))
                .isInstanceOf(InvalidRequestException.class);
        var already = new RateLimitException("as is");
        assertThat(Failures.of(already)).isSameAs(already);
    }

    @Test
    void theModuleReachesModelsThroughTheRuntimeAndNamesNoBackend() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        String moduleInfo = java.nio.file.Files.readString(root.resolve("src/main/java/module-info.java"));
        String pom = java.nio.file.Files.readString(root.resolve("pom.xml"));
        for (String backend : List.of("llama", "onnx", "remote")) {
            assertThat(moduleInfo).doesNotContain("dev.hearth." + backend);
            assertThat(pom).doesNotContain("<artifactId>hearth-" + backend + "</artifactId>");
        }
        assertThat(moduleInfo).contains("requires transitive dev.hearth.runtime;");
    }
}
