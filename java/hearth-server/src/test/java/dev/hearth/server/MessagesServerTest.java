package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Anthropic's {@code POST /v1/messages} on loopback with the synthetic tiny model: shapes, events, errors, ledger. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GREEDY = "{'model':'tiny','max_tokens':8,'temperature':0,'system':'Be brief.',"
            + "'messages':[{'role':'user','content':'Say hello.'}]";

    @TempDir
    static Path dir;
    private Hearth hearth;
    private HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny"));
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    private HttpResponse<String> messages(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageIsTextBlocksWithStopReasonAndUsageAndIsInTheLedger() throws Exception {
        HttpResponse<String> res = messages(GREEDY + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("local");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("type").asText()).isEqualTo("message");
        assertThat(body.get("role").asText()).isEqualTo("assistant");
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(body.get("stop_reason").asText()).isIn("end_turn", "max_tokens");
        assertThat(body.at("/usage/input_tokens").asLong()).isPositive();
        String callId = res.headers().firstValue("x-hearth-call-id").orElseThrow();
        assertThat(body.get("id").asText()).isEqualTo("msg_" + callId);
        hearth.flushCalls(); // a local call is recorded just after it answers, off its request path
        assertThat(hearth.ledger().call(callId)).hasValueSatisfying(c -> {
            assertThat(c.entryPoint()).isEqualTo(EntryPoint.HTTP);
            assertThat(c.tokens().output()).isEqualTo(body.at("/usage/output_tokens").asLong());
        });
    }

    @Test
    void aStreamIsAnthropicsEventSequenceAndSaysWhatTheWholeMessageSays() throws Exception {
        JsonNode whole = JSON.readTree(messages(GREEDY + "}").body());
        HttpResponse<String> res = messages(GREEDY + ",'stream':true}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        JsonNode delta = null;
        for (String block : res.body().split("\n\n")) {
            String[] lines = block.split("\n");
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            String name = lines[0].substring(7);
            JsonNode data = JSON.readTree(lines[1].substring(6));
            assertThat(data.get("type").asText()).isEqualTo(name);
            names.add(name);
            if (name.equals("content_block_delta")) {
                text.append(data.at("/delta/text").asText());
            }
            if (name.equals("message_delta")) {
                delta = data;
            }
        }
        assertThat(names.getFirst()).isEqualTo("message_start");
        assertThat(names.subList(names.size() - 2, names.size())).containsExactly("message_delta", "message_stop");
        assertThat(names).containsSubsequence("content_block_start", "content_block_delta", "content_block_stop");
        assertThat(text.toString()).as("greedy: streamed = whole").isEqualTo(whole.at("/content/0/text").asText());
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo(whole.get("stop_reason").asText());
        assertThat(delta.get("usage")).isEqualTo(whole.get("usage"));
        hearth.flushCalls(); // local calls are recorded just after they answer
        assertThat(hearth.ledger().call(delta.at("/hearth/call_id").asText())).isPresent();
    }

    @Test
    void errorsAreInAnthropicsShape() throws Exception {
        HttpResponse<String> missing = messages("{'model':'tiny','messages':[{'role':'user','content':'x'}]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(missing.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).contains("max_tokens is required");
        HttpResponse<String> unknown = messages("{'model':'nope','max_tokens':5,'messages':[{'role':'user','content':'x'}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/type").asText()).isEqualTo("not_found_error");
    }
}
