package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS: off unless origins are allowed; an allowed origin gets the headers and its preflight answered. */
class CorsTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HearthServer server, String method, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/models"))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("origin", origin);
        if (method.equals("OPTIONS")) {
            b.header("access-control-request-method", "POST").header("access-control-request-headers",
                    "authorization, content-type");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void offByDefault() throws Exception {
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0))) {
            HttpResponse<String> res = send(server, "GET", "http://localhost:3000");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }

    @Test
    void anAllowedOriginGetsTheHeadersAndItsPreflightAnsweredOthersDoNot() throws Exception {
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("HEARTH_CORS_ORIGINS",
                "http://localhost:3000, https://app.example")).withPort(0);
        assertThat(settings.corsOrigins()).isEqualTo(List.of("http://localhost:3000", "https://app.example"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"));
                HearthServer server = HearthServer.start(hearth, settings)) {
            HttpResponse<String> get = send(server, "GET", "http://localhost:3000");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:3000");
            assertThat(get.headers().firstValue("access-control-expose-headers").orElseThrow())
                    .contains("x-hearth-model");

            HttpResponse<String> preflight = send(server, "OPTIONS", "https://app.example");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
            assertThat(preflight.headers().firstValue("access-control-allow-methods").orElseThrow()).contains("POST");
            assertThat(preflight.headers().firstValue("access-control-allow-headers").orElseThrow())
                    .contains("authorization");

            HttpResponse<String> other = send(server, "GET", "https://evil.example");
            assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }
}
