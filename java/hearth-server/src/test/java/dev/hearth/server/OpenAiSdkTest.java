package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI SDK for Node (installed by scripts/install-npm-clients.sh, which scripts/test.sh runs first)
 * against the server on loopback with the synthetic model: a completion, a stream with usage, errors as the SDK's own
 * exception classes, the model list. Fails, saying how to install it, when the SDK is missing.
 */
class OpenAiSdkTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialClientChatsStreamsListsAndRaisesItsOwnErrors() throws Exception {
        NodeClients.require("openai");
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny", "HEARTH_CACHE", "off")); // the model's own stream, not the cache's replay
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withDrainTimeout(Duration.ofSeconds(5)))) {
            JsonNode seen = NodeClients.run(dir, "openai-chat.cjs", server.baseUri().toString(), "tiny");

            JsonNode whole = seen.get("whole");
            assertThat(whole.get("object").asText()).isEqualTo("chat.completion");
            assertThat(whole.get("model").asText()).isEqualTo("tiny");
            assertThat(whole.get("route").asText()).isEqualTo("local");
            assertThat(whole.get("finish_reason").asText()).isIn("stop", "length");
            JsonNode streamed = seen.get("streamed");
            assertThat(streamed.get("role").asText()).isEqualTo("assistant");
            assertThat(streamed.get("content").asText()).as("greedy: streamed = whole")
                    .isEqualTo(whole.get("content").asText());
            assertThat(streamed.get("finish_reason").asText()).isEqualTo(whole.get("finish_reason").asText());
            assertThat(streamed.get("usage")).isEqualTo(whole.get("usage"));
            for (JsonNode call : new JsonNode[] {whole, streamed}) {
                hearth.flushCalls(); // local calls are recorded just after they answer
                var record = hearth.ledger().call(call.get("call_id").asText()).orElseThrow();
                assertThat(record.entryPoint()).isEqualTo(EntryPoint.HTTP);
                assertThat(record.tokens().input()).isEqualTo(whole.at("/usage/prompt_tokens").asLong());
                assertThat(record.tokens().output()).isEqualTo(whole.at("/usage/completion_tokens").asLong());
            }

            JsonNode bad = seen.get("badTemperature");
            assertThat(bad.get("error").asText()).isEqualTo("BadRequestError");
            assertThat(bad.get("status").asInt()).isEqualTo(400);
            assertThat(bad.get("param").asText()).isEqualTo("temperature");
            assertThat(bad.get("message").asText()).contains("temperature must be between 0 (greedy) and 2");
            JsonNode unknown = seen.get("unknownModel");
            assertThat(unknown.get("error").asText()).isEqualTo("NotFoundError");
            assertThat(unknown.get("code").asText()).isEqualTo("model_not_found");

            assertThat(seen.get("models")).extracting(JsonNode::asText).contains("auto", "tiny");
        }
    }

    @Test
    void theOfficialClientCreatesAndStreamsResponsesEmbedsAndRetrievesModels() throws Exception {
        NodeClients.require("openai");
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny", "HEARTH_CACHE", "off")); // the model's own stream, not the cache's replay
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withDrainTimeout(Duration.ofSeconds(5)))) {
            JsonNode seen = NodeClients.run(dir, "openai-responses.cjs", server.baseUri().toString(), "tiny",
                    "all-minilm-l6-v2");

            JsonNode whole = seen.get("whole");
            assertThat(whole.get("object").asText()).isEqualTo("response");
            assertThat(whole.get("id").asText()).isEqualTo("resp_" + whole.get("call_id").asText());
            assertThat(whole.get("status").asText()).isIn("completed", "incomplete");
            assertThat(whole.get("model").asText()).isEqualTo("tiny");
            assertThat(whole.get("route").asText()).isEqualTo("local");
            assertThat(whole.get("store").asBoolean()).isFalse();
            assertThat(whole.at("/output/0/type").asText()).isEqualTo("message");
            JsonNode usage = whole.get("usage");
            assertThat(usage.get("input_tokens").asLong()).isPositive();
            assertThat(usage.get("output_tokens").asLong()).isBetween(1L, 8L);
            assertThat(usage.get("total_tokens").asLong())
                    .isEqualTo(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());
            hearth.flushCalls(); // local calls are recorded just after they answer
            var record = hearth.ledger().call(whole.get("call_id").asText()).orElseThrow();
            assertThat(record.entryPoint()).isEqualTo(EntryPoint.HTTP);
            assertThat(record.tokens().output()).isEqualTo(usage.get("output_tokens").asLong());

            JsonNode streamed = seen.get("streamed");
            assertThat(streamed.get("types").get(0).asText()).isEqualTo("response.created");
            assertThat(streamed.get("types").get(1).asText()).isEqualTo("response.in_progress");
            assertThat(streamed.get("types")).extracting(JsonNode::asText).contains("response.output_item.added",
                    "response.content_part.added", "response.output_text.done", "response.content_part.done",
                    "response.output_item.done");
            assertThat(streamed.get("types").get(streamed.get("types").size() - 1).asText())
                    .isEqualTo("response." + whole.get("status").asText());
            for (int i = 0; i < streamed.get("sequence").size(); i++) {
                assertThat(streamed.get("sequence").get(i).asInt()).isEqualTo(i);
            }
            assertThat(streamed.get("deltas").asText()).as("greedy: streamed = whole").isEqualTo(whole.get("text")
                    .asText());
            assertThat(streamed.get("text").asText()).isEqualTo(whole.get("text").asText());
            assertThat(streamed.get("usage")).isEqualTo(usage);
            assertThat(streamed.get("items")).extracting(JsonNode::asText).containsExactly("message");
            hearth.flushCalls(); // local calls are recorded just after they answer
            assertThat(hearth.ledger().call(streamed.get("call_id").asText())).isPresent();

            JsonNode stateful = seen.get("stateful");
            assertThat(stateful.get("error").asText()).isEqualTo("BadRequestError");
            assertThat(stateful.get("param").asText()).isEqualTo("previous_response_id");
            assertThat(stateful.get("message").asText()).contains("stateless").contains("whole conversation");
            assertThat(seen.at("/storeTrue/param").asText()).isEqualTo("store");

            JsonNode embeddings = seen.get("embeddings");
            assertThat(embeddings.get("count").asInt()).isEqualTo(2);
            assertThat(embeddings.get("width").asInt()).isEqualTo(384);
            assertThat(embeddings.get("first")).as("the SDK's default base64, decoded, = floats")
                    .isEqualTo(embeddings.get("floatFirst"));
            assertThat(embeddings.at("/usage/prompt_tokens").asLong()).isEqualTo(10);

            assertThat(seen.at("/model/id").asText()).isEqualTo("tiny");
            assertThat(seen.at("/model/object").asText()).isEqualTo("model");
            assertThat(seen.at("/missing/error").asText()).isEqualTo("NotFoundError");
        }
    }
}
