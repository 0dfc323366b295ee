package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics in Prometheus' text format with bounded labels, and /ready saying what is wrong when it is not. */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_PROMPT = "my-private-prompt-4711";
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(HearthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCountRequestsAndMeasureAnswersWithBoundedLabels() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny"));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0))) {
            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                    + "/chat/completions")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"max_tokens\":4,\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"" + SECRET_PROMPT + "\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(get(server, "/v1/no-such-route-" + SECRET_PROMPT).statusCode()).isEqualTo(404);

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
            String text = metrics.body();
            assertThat(text).containsPattern("hearth_http_requests_total\\{model=\"tiny\",route=\"POST /v1/chat/"
                    + "completions\",status=\"200\"} 1\\.0");
            assertThat(text).contains("route=\"unmatched\",status=\"404\"");
            assertThat(text).contains("hearth_time_to_first_token_seconds_bucket{model=\"tiny\"");
            assertThat(text).contains("hearth_call_duration_seconds_count{model=\"tiny\",route=\"local\"} 1");
            assertThat(text).containsPattern("hearth_tokens_total\\{direction=\"in\",key=\"anonymous\",model=\"tiny\"}"
                    + " [1-9]");
            assertThat(text).contains("hearth_models_loaded ");
            assertThat(text).doesNotContain(SECRET_PROMPT);
        }
    }

    @Test
    void readyWhenTheLedgerTakesWritesAndModelsAreThereNotOtherwise() throws Exception {
        Path model = dir.resolve("models").resolve("tiny.gguf");
        SyntheticModel.tiny().write(model);
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny"));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0))) {
            HttpResponse<String> ready = get(server, "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("ready");

            Files.delete(model);
            HttpResponse<String> gone = get(server, "/ready");
            assertThat(gone.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(gone.body()).at("/checks/models").asText()).contains("tiny");
            assertThat(JSON.readTree(gone.body()).at("/checks/ledger").asText()).isEqualTo("ok");
        }
    }
}
