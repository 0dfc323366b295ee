package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The probe of a pool's endpoint over HTTP: {@code GET <base>/models}, which every OpenAI-compatible server answers
 * (vLLM, llama-server, Ollama's /v1, Hearth), is its health; {@code GET <base>/hearth/prefixes}, which a Hearth worker
 * answers, the conversations its engines' prefix caches hold (a server without it holds none we know of). The model's
 * key, when it has one, goes with each probe, as with its requests: only to the servers its [[model]] lists.
 * Thread-safe.
 */
public final class HttpProbe implements EndpointPool.Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final String apiKey;

    /** @param apiKey the model's key ("" for none) */
    public HttpProbe(Duration timeout, String apiKey) {
        this.timeout = timeout;
        this.apiKey = apiKey == null ? "" : apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Result probe(URI endpoint) throws InterruptedException {
        try {
            HttpResponse<String> models = get(endpoint, "/models");
            if (models.statusCode() / 100 != 2) {
                return Result.DOWN;
            }
            return new Result(true, warm(get(endpoint, "/hearth/prefixes")));
        } catch (IOException e) {
            return Result.DOWN;
        }
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (!apiKey.isEmpty()) {
            b.header("authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The conversations a prefixes report lists ({@code {"models":[{"conversations":[...]}]}}); none otherwise. */
    static Set<String> warm(HttpResponse<String> res) {
        Set<String> out = new HashSet<>();
        if (res.statusCode() != 200) {
            return out;
        }
        try {
            for (JsonNode m : JSON.readTree(res.body()).path("models")) {
                m.path("conversations").forEach(c -> out.add(c.asText()));
            }
        } catch (IOException notJson) {
            // a server with another idea of this path: it reports nothing we can use
        }
        return out;
    }
}
