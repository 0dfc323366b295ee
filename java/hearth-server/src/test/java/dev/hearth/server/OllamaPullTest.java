package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.http.LoopbackHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ollama's {@code POST /api/pull}: a model of the server's catalog (served here by a loopback server, nothing leaves
 * the machine) lands in the model cache with progress as JSON lines; a name the catalog lacks is a 404; a file whose
 * digest is not the catalog's is an error line and nothing is kept.
 */
class OllamaPullTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCatalogModelIsPulledWithProgressAndAnythingElseIsRefused() throws Exception {
        Path source = dir.resolve("source.gguf");
        SyntheticModel.tiny().write(source);
        byte[] model = Files.readAllBytes(source);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        try (LoopbackHttpServer files = new LoopbackHttpServer(ex -> {
            ex.head(200, Map.of(), model.length);
            ex.write(model, 0, model.length);
        })) {
            Path catalog = Files.writeString(dir.resolve("catalog.toml"), """
                    default = "tiny-pulled"
                    [[model]]
                    name = "tiny-pulled"
                    url = "%s/tiny.gguf"
                    sha256 = "%s"
                    size = %d
                    license = "Apache-2.0"
                    quant = "F32"
                    context = 1024
                    [[model]]
                    name = "tiny-tampered"
                    url = "%s/other.gguf"
                    sha256 = "%s"
                    size = 0
                    license = "Apache-2.0"
                    quant = "F32"
                    context = 1024
                    """.formatted(files.uri().toString().replaceAll("/$", ""), sha, model.length,
                    files.uri().toString().replaceAll("/$", ""), "ab".repeat(32)));
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                    "HEARTH_CATALOG", catalog.toString()));
                 HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                         .withDrainTimeout(Duration.ofSeconds(5)))) {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> r = post(http, server, "{\"model\":\"tiny-pulled\"}");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
                List<JsonNode> lines = lines(r.body());
                assertThat(lines.getFirst().get("status").asText()).isEqualTo("pulling manifest");
                assertThat(lines).filteredOn(l -> l.path("status").asText().equals("downloading")).isNotEmpty()
                        .last().satisfies(l -> {
                            assertThat(l.get("completed").asLong()).isEqualTo(model.length);
                            assertThat(l.get("total").asLong()).isEqualTo(model.length);
                        });
                assertThat(lines.getLast().get("status").asText()).isEqualTo("success");
                assertThat(lines.getLast().get("digest").asText()).isEqualTo("sha256:" + sha);
                assertThat(Files.readAllBytes(dir.resolve("models").resolve("tiny-pulled.gguf"))).isEqualTo(model);

                HttpResponse<String> whole = post(http, server, "{\"model\":\"tiny-pulled\",\"stream\":false}");
                assertThat(lines(whole.body())).singleElement()
                        .satisfies(l -> assertThat(l.get("status").asText()).isEqualTo("success"));

                HttpResponse<String> unknown = post(http, server, "{\"model\":\"https://example.com/x.gguf\"}");
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("no model")
                        .contains("catalog");

                HttpResponse<String> tampered = post(http, server, "{\"model\":\"tiny-tampered\"}");
                assertThat(lines(tampered.body()).getLast().get("error").asText()).contains("ab".repeat(32));
                assertThat(dir.resolve("models").resolve("tiny-tampered.gguf")).doesNotExist();
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, HearthServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/pull"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> lines(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
