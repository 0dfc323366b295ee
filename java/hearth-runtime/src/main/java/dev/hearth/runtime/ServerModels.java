package dev.hearth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.router.DiscoveryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The models a server lists, read the way its kind lists them: {@code GET /v1/models} (OpenAI's {@code data[].id}) or
 * {@code GET /api/tags} (Ollama's {@code models[]}, with their quantisation and size). Answering is the server's health
 * check. Thread-safe.
 */
final class ServerModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MOST = 1000; // a list longer than this is cut: a scan must stay small
    private final HttpClient http;
    private final Duration timeout;

    /** One model as its server lists it. */
    record Listed(String name, String quantization, String shape, long bytes) {
    }

    ServerModels(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** The models {@code server} lists (asked with {@code apiKey}, null: none); an {@link IOException} that says why when it does not answer as it should. */
    List<Listed> list(DiscoveryConfig.Server server, String apiKey) throws IOException, InterruptedException {
        URI uri = URI.create(server.url() + (server.kind() == DiscoveryConfig.Kind.OLLAMA ? "/api/tags" : "/v1/models"));
        HttpResponse<String> res;
        try {
            HttpRequest.Builder get = HttpRequest.newBuilder(uri).timeout(timeout).header("accept", "application/json");
            if (apiKey != null && !apiKey.isBlank()) {
                get.header("authorization", "Bearer " + apiKey.strip());
            }
            res = http.send(get.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("no answer from " + uri + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new IOException("cannot reach " + uri + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (res.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + res.statusCode());
        }
        JsonNode body;
        try {
            body = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new IOException(uri + " answered something that is not JSON; is it a " + server.kind().label()
                    + " server?");
        }
        List<Listed> out = new ArrayList<>();
        if (server.kind() == DiscoveryConfig.Kind.OLLAMA) {
            for (JsonNode m : body.path("models")) {
                String name = m.path("name").asText(m.path("model").asText(""));
                JsonNode d = m.path("details");
                String shape = String.join(", ", List.of(d.path("family").asText(""), d.path("parameter_size")
                        .asText("")).stream().filter(s -> !s.isBlank()).toList());
                add(out, new Listed(name, d.path("quantization_level").asText(""), shape, m.path("size").asLong(0)));
            }
        } else {
            for (JsonNode m : body.path("data")) {
                add(out, new Listed(m.path("id").asText(""), "", "", 0));
            }
        }
        if (!body.has(server.kind() == DiscoveryConfig.Kind.OLLAMA ? "models" : "data")) {
            throw new IOException(uri + " answered JSON without a model list; is it a " + server.kind().label()
                    + " server?");
        }
        return out;
    }

    /** Keeps names a request can carry; a server's odd entry is left out rather than trusted. */
    private static void add(List<Listed> out, Listed m) {
        if (out.size() < MOST && !m.name().isBlank() && m.name().length() <= 200 && m.name().chars()
                .noneMatch(c -> c < 0x20 || c == 0x7f)) {
            out.add(m);
        }
    }
}
