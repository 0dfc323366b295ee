package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.host.ModelHost;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ollama's routes over HTTP with the synthetic model: keep_alive reaching the model host (zero unloads after the
 * answer, negative keeps), errors in Ollama's shape with their status whether or not a stream was asked for, the
 * options Hearth does not apply named in a header, and count_tokens' errors in Anthropic's shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OllamaServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASK = "'model':'tiny','messages':[{'role':'user','content':'Say hello.'}],"
            + "'options':{'temperature':0,'num_predict':4}";

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
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                .withDrainTimeout(java.time.Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> loaded() throws InterruptedException {
        return hearth.host().loaded().stream().map(ModelHost.LoadedModel::id).toList();
    }

    @Test
    void aZeroKeepAliveUnloadsTheModelAfterTheAnswerAndANegativeOneKeepsIt() throws Exception {
        HttpResponse<String> kept = send("POST", "/api/chat", "{" + ASK + ",'stream':false,'keep_alive':-1}");
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        JsonNode ps = JSON.readTree(send("GET", "/api/ps", null).body());
        assertThat(ps.at("/models/0/name").asText()).isEqualTo("tiny");
        assertThat(ps.at("/models/0/expires_at").asText()).startsWith("2318-");

        HttpResponse<String> later = send("POST", "/api/chat", "{" + ASK + ",'stream':false,'keep_alive':'10m'}");
        assertThat(later.statusCode()).isEqualTo(200);
        Instant expires = Instant.parse(JSON.readTree(send("GET", "/api/ps", null).body())
                .at("/models/0/expires_at").asText());
        assertThat(expires).isAfter(Instant.now().plusSeconds(5 * 60)).isBefore(Instant.now().plusSeconds(11 * 60));

        HttpResponse<String> streamed = send("POST", "/api/chat", "{" + ASK + ",'keep_alive':0}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body().strip().lines().toList().getLast()).contains("\"done\":true");
        assertThat(loaded()).doesNotContain("tiny");
    }

    @Test
    void anEmptyPromptLoadsNothingAndWithAZeroKeepAliveUnloads() throws Exception {
        send("POST", "/api/generate", "{'model':'tiny','prompt':'hi','stream':false,'options':{'num_predict':2}}");
        assertThat(loaded()).contains("tiny");
        JsonNode unload = JSON.readTree(send("POST", "/api/generate", "{'model':'tiny','keep_alive':0}").body());
        assertThat(unload.get("done_reason").asText()).isEqualTo("unload");
        assertThat(loaded()).doesNotContain("tiny");
        JsonNode load = JSON.readTree(send("POST", "/api/chat", "{'model':'tiny'}").body());
        assertThat(load.get("done_reason").asText()).isEqualTo("load");
    }

    @Test
    void errorsHaveOllamasShapeAndStatusStreamedOrNot() throws Exception {
        for (String stream : List.of("true", "false")) {
            HttpResponse<String> unknown = send("POST", "/api/chat", "{'model':'nope','stream':" + stream
                    + ",'messages':[{'role':'user','content':'x'}]}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("no model \"nope\"");
        }
        HttpResponse<String> bad = send("POST", "/api/generate", "{'model':'tiny','prompt':'x','options':{'top_p':2}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("options.top_p");
        HttpResponse<String> notJson = send("POST", "/api/chat", "{'model':");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).get("error").asText()).contains("not valid JSON");
        HttpResponse<String> embed = send("POST", "/api/embed", "{'model':'tiny','input':'x'}"); // a chat model
        assertThat(embed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(embed.body()).get("error").asText()).contains("not an embedding model");
        HttpResponse<String> show = send("POST", "/api/show", "{'model':'nope'}");
        assertThat(show.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(show.body()).has("error")).isTrue();
    }

    @Test
    void theOptionsHearthDoesNotApplyAreNamedAndTheCallIsSaid() throws Exception {
        HttpResponse<String> res = send("POST", "/api/generate", "{'model':'tiny','prompt':'x','stream':false,"
                + "'options':{'num_predict':2,'num_ctx':4096,'repeat_penalty':1.1}}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("x-hearth-ignored-options")).hasValue("num_ctx,repeat_penalty");
        assertThat(res.headers().firstValue("x-hearth-model")).hasValue("tiny");
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("local");
        assertThat(res.headers().firstValue("x-hearth-call-id"))
                .hasValue(JSON.readTree(res.body()).at("/hearth/call_id").asText());
    }

    @Test
    void countTokensRefusesInAnthropicsShape() throws Exception {
        HttpResponse<String> unknown = send("POST", "/v1/messages/count_tokens",
                "{'model':'nope','messages':[{'role':'user','content':'x'}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/type").asText()).isEqualTo("not_found_error");
        HttpResponse<String> bad = send("POST", "/v1/messages/count_tokens",
                "{'model':'tiny','messages':[{'role':'user','content':'x'}],'max_tokens':0}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/error/message").asText()).contains("max_tokens must be from 1");
    }
}
