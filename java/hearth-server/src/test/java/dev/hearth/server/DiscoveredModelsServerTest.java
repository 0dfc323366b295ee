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

/** A model in a HEARTH_MODEL_DIRS folder is listed by GET /v1/models and answers by its name, undeclared. */
class DiscoveredModelsServerTest {
    @TempDir
    Path dir;

    @Test
    void aModelInADiscoveryFolderIsListedAndNamedWithoutBeingDeclared() throws Exception {
        Path shelf = Files.createDirectories(dir.resolve("shelf"));
        SyntheticModel.tiny().write(shelf.resolve("shelf-tiny.gguf"));
        HttpClient http = HttpClient.newHttpClient();
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "HEARTH_MODEL_DIRS", shelf.toString()));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(models.body()).get("data").findValuesAsText("id"))
                    .contains("shelf-tiny");
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/shelf-tiny"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        }
    }
}
