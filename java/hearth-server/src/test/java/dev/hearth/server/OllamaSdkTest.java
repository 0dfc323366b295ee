package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ToolCall;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.schema.SchemaValidator;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Ollama SDK for Node against the server on loopback: chat and generate, whole and streamed as JSON
 * lines (greedy, so they agree), a JSON schema's shape, a tool call round trip through a remote model (the vendor
 * faked on loopback), the model lists, embeddings, and errors as the SDK's ResponseError with the status; counts are
 * the ledger's.
 */
class OllamaSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOfficialClientChatsGeneratesListsEmbedsCallsToolsAndRaisesItsOwnErrors() throws Exception {
        NodeClients.require("ollama");
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (FakeAnthropicServer fake = new FakeAnthropicServer("server-key");
                Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                        "LOCAL_MODEL_NAME", "tiny", "ANTHROPIC_API_KEY", "server-key", "ANTHROPIC_BASE_URL",
                        fake.baseUri().toString(), "HEARTH_CACHE", "off")); // the model streams, not the cache
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withDrainTimeout(Duration.ofSeconds(5)))) {
            fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}"))),
                    FakeReply.text("Oslo is in Norway."));
            JsonNode seen = NodeClients.run(dir, "ollama-chat.cjs", "http://127.0.0.1:" + server.port(), "tiny",
                    "claude-sonnet-4-6", AnthropicSdkTest.SCHEMA, "all-MiniLM-L6-v2");

            JsonNode whole = seen.get("whole");
            assertThat(whole.get("model").asText()).isEqualTo("tiny");
            assertThat(whole.get("role").asText()).isEqualTo("assistant");
            assertThat(whole.get("route").asText()).isEqualTo("local");
            assertThat(whole.get("done").asBoolean()).isTrue();
            assertThat(whole.get("done_reason").asText()).isIn("stop", "length");
            assertThat(whole.get("call_id_header").asText()).isEqualTo(whole.at("/hearth/call_id").asText());
            for (String timing : List.of("total_duration", "prompt_eval_duration", "eval_duration", "load_duration")) {
                assertThat(whole.get(timing).isIntegralNumber()).as(timing).isTrue();
            }
            assertThat(whole.get("total_duration").asLong()).isGreaterThanOrEqualTo(whole.get("eval_duration").asLong());
            JsonNode streamed = seen.get("streamed");
            assertThat(streamed.get("content_type").asText()).isEqualTo("application/x-ndjson");
            assertThat(streamed.get("content").asText()).as("greedy: streamed = whole")
                    .isEqualTo(whole.get("content").asText());
            assertThat(streamed.get("done_reason").asText()).isEqualTo(whole.get("done_reason").asText());
            assertThat(streamed.get("eval_count")).isEqualTo(whole.get("eval_count"));
            JsonNode generated = seen.get("generated");
            JsonNode generatedStream = seen.get("generatedStream");
            assertThat(generatedStream.get("response").asText()).isEqualTo(generated.get("response").asText());
            assertThat(generated.get("prompt_eval_count")).as("the same prompt as the chat")
                    .isEqualTo(whole.get("prompt_eval_count"));

            hearth.flushCalls();
            for (JsonNode answer : List.of(whole, streamed, generated, generatedStream)) {
                hearth.flushCalls(); // local calls are recorded just after they answer
                CallRecord record = hearth.ledger().call(answer.at("/hearth/call_id").asText()).orElseThrow();
                assertThat(record.entryPoint()).isEqualTo(EntryPoint.HTTP);
                assertThat(record.tokens().input()).isEqualTo(answer.get("prompt_eval_count").asLong());
                assertThat(record.tokens().output()).isEqualTo(answer.get("eval_count").asLong());
            }

            JsonNode json = seen.get("json");
            assertThat(json.get("done_reason").asText()).isEqualTo("stop");
            assertThat(SchemaValidator.of(AnthropicSdkTest.SCHEMA).violations(json.get("content").asText()))
                    .as(json.get("content").asText()).isEmpty();

            JsonNode call = seen.at("/tool/calls/0/function");
            assertThat(call.get("name").asText()).isEqualTo("lookup");
            assertThat(call.get("arguments")).isEqualTo(JSON.readTree("{\"q\":\"oslo\"}"));
            assertThat(seen.at("/tool/answer").asText()).isEqualTo("Oslo is in Norway.");
            assertThat(fake.lastRequest().body()).contains("tool_result").contains("Oslo: Norway").contains("t1");

            assertThat(seen.get("tags")).extracting(JsonNode::asText).contains("auto", "tiny", "claude-sonnet-4-6");
            assertThat(seen.get("ps")).extracting(m -> m.get("name").asText()).contains("tiny");
            assertThat(seen.at("/show/details/format").asText()).isEqualTo("gguf");
            assertThat(seen.at("/show/capabilities")).extracting(JsonNode::asText).contains("completion");
            assertThat(seen.at("/version/version").asText()).isNotEmpty();
            assertThat(seen.at("/embed/count").asInt()).isEqualTo(2);
            assertThat(seen.at("/embed/dims")).extracting(JsonNode::asInt).containsOnly(384);

            JsonNode unknown = seen.get("unknownModel");
            assertThat(unknown.get("name").asText()).isEqualTo("ResponseError");
            assertThat(unknown.get("status").asInt()).isEqualTo(404);
            assertThat(unknown.get("message").asText()).contains("no-such-model");
            JsonNode bad = seen.get("badTemperature");
            assertThat(bad.get("name").asText()).isEqualTo("ResponseError");
            assertThat(bad.get("status").asInt()).isEqualTo(400);
            assertThat(bad.get("message").asText()).contains("options.temperature must be between 0 (greedy) and 2");
            JsonNode badMessages = seen.get("badMessages");
            assertThat(badMessages.get("status").asInt()).isEqualTo(400);
            assertThat(badMessages.get("message").asText()).contains("messages must be an array");
            // no catalog names llama3.2 here (the test sets none): refused before anything is fetched
            assertThat(seen.at("/pull/status").asInt()).isBetween(400, 404);
            assertThat(seen.at("/pull/message").asText()).contains("catalog");
        }
    }
}
