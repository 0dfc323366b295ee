package dev.hearth.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.spring.ai.autoconfigure.HearthHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application with the starter's auto-configuration and the synthetic model, answering through Spring AI's
 * {@link ChatClient}: plain, streamed, with a tool and with an entity. Random weights say nothing worth reading, so
 * answers are compared with the runtime's own for the same request, or forced (a required tool, a JSON schema).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HearthSpringBootTest {
    private ConfigurableApplicationContext context;
    private ChatClient chat;
    private Hearth hearth;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        context = TestApplication.start(dir, new Class<?>[] {TestApplication.class});
        chat = ChatClient.create(context.getBean(ChatModel.class));
        hearth = context.getBean(Hearth.class);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aPlainCallIsTheRuntimesAnswerToTheSameRequestAndIsRecordedAsSpringAis() throws Exception {
        ChatResponse answer = chat.prompt().user("Say hello.").options(HearthChatOptions.builder().temperature(0.0))
                .call().chatResponse();
        var direct = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Say hello."))).withMaxTokens(8)
                .withTemperature(0.0));
        assertThat(answer.getResult().getOutput().getText()).isEqualTo(direct.response().content());
        assertThat(answer.getMetadata().getModel()).isEqualTo("tiny");
        assertThat((String) answer.getMetadata().get(SpringAiMessages.ROUTE)).isEqualTo("local");
        assertThat(answer.getMetadata().getUsage().getCompletionTokens()).isPositive();
        hearth.flushCalls();
        String id = answer.getMetadata().get(SpringAiMessages.CALL_ID);
        assertThat(hearth.ledger().call(id)).get().extracting(r -> r.entryPoint()).isEqualTo(EntryPoint.SPRING_AI);
    }

    @Test
    void aStreamedAnswerIsTheSameTextAsACall() {
        var options = HearthChatOptions.builder().temperature(0.0);
        String called = chat.prompt().user("Count to three.").options(options).call().content();
        List<String> pieces = chat.prompt().user("Count to three.").options(options).stream().content().collectList()
                .block();
        assertThat(pieces).isNotEmpty();
        assertThat(String.join("", pieces)).isEqualTo(called);
    }

    enum City { OSLO, BERGEN }

    /** A tool the model must call; it keeps what it was called with (a city of a closed set: a bounded call). */
    static final class Weather {
        final List<City> cities = new CopyOnWriteArrayList<>();

        @Tool(description = "The weather in a city")
        String weather(City city) {
            cities.add(city);
            return "sunny";
        }
    }

    @Test
    void aRequiredToolIsCalledThroughSpringAisToolCallbacksAndTheModelThenAnswers() {
        Weather tool = new Weather();
        ChatResponse answer = chat.prompt().user("What is the weather in Oslo?").tools(tool)
                .options(HearthChatOptions.builder().model(TestApplication.TOOLS).toolChoice("required").maxTokens(300)).call().chatResponse();
        assertThat(tool.cities).as("ChatClient ran the tool the model was made to call").isNotEmpty();
        assertThat(answer.hasToolCalls()).as("after the tool's result the model answers").isFalse();
    }

    enum Sky { SUNNY, RAINY, SNOWY }

    record Forecast(Sky sky, boolean windy) {
    }

    @Test
    void anEntityComesBackThroughTheJsonSchemaTheModelWasHeldTo() {
        Forecast forecast = chat.prompt().user("The forecast for Oslo, please.")
                .options(HearthChatOptions.builder().maxTokens(64)).call()
                .entity(Forecast.class, spec -> spec.useProviderStructuredOutput());
        assertThat(forecast).isNotNull();
        assertThat(forecast.sky()).isNotNull();
    }

    @Test
    void theEmbeddingModelGivesTheRuntimesDefaultEmbeddersVectors() {
        float[] vector = context.getBean(EmbeddingModel.class).embed("a quiet hearth");
        assertThat(vector).containsExactly(hearth.embedder(null).embed(List.of("a quiet hearth")).getFirst());
    }

    @Test
    void healthAndMetersSayWhatTheRuntimeDid() {
        chat.prompt().user("Hi").call().content();
        var health = context.getBean("hearthHealthIndicator", HearthHealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("loadedModels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("tiny");
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(meters.get("hearth.call.duration").tag("model", "tiny").timer().count()).isPositive();
        assertThat(meters.get("hearth.models.loaded").gauge().value()).isGreaterThanOrEqualTo(1.0);
    }
}
