package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ToolCall;
import dev.hearth.api.spi.Tokenizer;
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
 * The official Anthropic SDK for Node against the server on loopback: the synthetic local model answers whole and
 * streamed (greedy, so the two agree), counts tokens as its tokenizer does, and answers in a JSON schema's shape; a
 * tool call goes round through a remote model (the vendor faked on loopback, since a random model cannot be relied on
 * to call a tool); errors arrive as the SDK's own exception classes; usage is the ledger's.
 */
class AnthropicSdkTest {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"good\",\"bad\"]}},"
            + "\"required\":[\"mood\"],\"additionalProperties\":false}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOfficialClientChatsStreamsCountsCallsToolsAndRaisesItsOwnErrors() throws Exception {
        NodeClients.require("@anthropic-ai/sdk");
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (FakeAnthropicServer fake = new FakeAnthropicServer("server-key");
                Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                        "LOCAL_MODEL_NAME", "tiny", "ANTHROPIC_API_KEY", "server-key", "ANTHROPIC_BASE_URL",
                        fake.baseUri().toString(), "HEARTH_CACHE", "off")); // the model streams, not the cache
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withDrainTimeout(Duration.ofSeconds(5)))) {
            fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}"))),
                    FakeReply.text("Oslo is in Norway."));
            String root = "http://127.0.0.1:" + server.port();
            JsonNode seen = NodeClients.run(dir, "anthropic-messages.cjs", root, "tiny", "claude-sonnet-4-6", SCHEMA);

            JsonNode whole = seen.get("whole");
            assertThat(whole.get("type").asText()).isEqualTo("message");
            assertThat(whole.get("model").asText()).isEqualTo("tiny");
            assertThat(whole.get("route").asText()).isEqualTo("local");
            assertThat(whole.get("stop_reason").asText()).isIn("end_turn", "max_tokens");
            JsonNode streamed = seen.get("streamed");
            assertThat(streamed.get("events")).extracting(JsonNode::asText).startsWith("message_start")
                    .endsWith("message_delta", "message_stop");
            assertThat(streamed.get("text").asText()).as("greedy: streamed = whole").isEqualTo(whole.get("text").asText());
            assertThat(streamed.get("stop_reason").asText()).isEqualTo(whole.get("stop_reason").asText());
            assertThat(streamed.get("output_tokens").asLong()).isEqualTo(whole.at("/usage/output_tokens").asLong());

            hearth.flushCalls();
            for (String callId : List.of(whole.get("call_id").asText(), streamed.get("call_id").asText())) {
                hearth.flushCalls(); // local calls are recorded just after they answer
                CallRecord record = hearth.ledger().call(callId).orElseThrow();
                assertThat(record.entryPoint()).isEqualTo(EntryPoint.HTTP);
                assertThat(record.tokens().input()).isEqualTo(whole.at("/usage/input_tokens").asLong());
                assertThat(record.tokens().output()).isEqualTo(whole.at("/usage/output_tokens").asLong());
            }

            JsonNode count = seen.get("count");
            assertThat(count.get("kind").asText()).isEqualTo("exact");
            try (Tokenizer tokenizer = hearth.tokenizer("tiny")) {
                int counted = tokenizer.countChat(ChatRequest.of("tiny", List.of(ChatMessage.system("Be brief."),
                        ChatMessage.user("Say hello."))));
                assertThat(count.get("input_tokens").asLong()).isEqualTo(counted)
                        .isEqualTo(whole.at("/usage/input_tokens").asLong());
            }

            assertThat(count.at("/remote/kind").asText()).as("no tokenizer of a vendor's is here").isEqualTo("estimate");
            assertThat(count.at("/remote/input_tokens").asLong()).isPositive();

            JsonNode json = seen.get("json");
            assertThat(json.get("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(SchemaValidator.of(SCHEMA).violations(json.get("text").asText())).as(json.get("text").asText())
                    .isEmpty();

            JsonNode tool = seen.get("tool");
            assertThat(tool.get("stop_reason").asText()).isEqualTo("tool_use");
            assertThat(tool.get("id").asText()).isEqualTo("t1");
            assertThat(tool.get("name").asText()).isEqualTo("lookup");
            assertThat(tool.get("input")).isEqualTo(JSON.readTree("{\"q\":\"oslo\"}"));
            assertThat(tool.get("answer").asText()).isEqualTo("Oslo is in Norway.");
            assertThat(fake.lastRequest().body()).contains("tool_result").contains("Oslo: Norway").contains("t1");

            JsonNode bad = seen.get("badTemperature");
            assertThat(bad.get("error").asText()).isEqualTo("BadRequestError");
            assertThat(bad.get("status").asInt()).isEqualTo(400);
            assertThat(bad.get("message").asText()).contains("temperature must be between 0 and 1");
            JsonNode unknown = seen.get("unknownModel");
            assertThat(unknown.get("error").asText()).isEqualTo("NotFoundError");
            assertThat(unknown.get("status").asInt()).isEqualTo(404);
            assertThat(unknown.get("type").asText()).isEqualTo("not_found_error");
            JsonNode badCount = seen.get("badCount");
            assertThat(badCount.get("error").asText()).isEqualTo("BadRequestError");
            assertThat(badCount.get("message").asText()).contains("messages is required");

            assertThat(seen.get("models")).extracting(JsonNode::asText).contains("auto", "tiny");
        }
    }
}
