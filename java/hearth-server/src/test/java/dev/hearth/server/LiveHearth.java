package dev.hearth.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A live server for the operator surfaces' tests: the synthetic local model ({@code tiny}), Anthropic and DeepSeek
 * faked on loopback, the premium tier as the strategy (so {@code auto} goes to Claude first and falls back to
 * DeepSeek), and HTTP helpers. {@link #restart()} opens a fresh Hearth on the same ledger.
 */
final class LiveHearth implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String CLAUDE = "claude-sonnet-4-6";

    final Path dir;
    final FakeAnthropicServer anthropic;
    final FakeOpenAiServer deepseek;
    private final Map<String, String> env;
    Hearth hearth;
    HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private LiveHearth(Path dir, Map<String, String> more) throws Exception {
        this.dir = dir;
        if (!Files.exists(dir.resolve("tiny.gguf"))) {
            SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        }
        anthropic = new FakeAnthropicServer("a-key");
        deepseek = new FakeOpenAiServer("d-key", FakeOpenAiServer.Flavor.DEEPSEEK);
        Map<String, String> settings = new java.util.HashMap<>(Map.of("LLM_STRATEGY", "premium",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(), "HEARTH_PREFER_LOCAL", "false",
                "ANTHROPIC_API_KEY", "a-key", "ANTHROPIC_BASE_URL", anthropic.baseUri().toString(),
                "DEEPSEEK_API_KEY", "d-key", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        settings.putAll(more);
        env = CleanEnvironment.in(dir, settings);
        open();
    }

    static LiveHearth start(Path dir) throws Exception {
        return new LiveHearth(dir, Map.of());
    }

    static LiveHearth start(Path dir, Map<String, String> more) throws Exception {
        return new LiveHearth(dir, more);
    }

    private void open() {
        hearth = Hearth.fromEnvironment(env);
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                .withDrainTimeout(Duration.ofSeconds(5)));
    }

    /** A fresh Hearth and server on the same ledger (what callers' scores say is read afresh). */
    void restart() {
        server.close();
        hearth.close();
        open();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 200 answer as JSON (fails with the body otherwise). */
    static JsonNode ok(HttpResponse<String> res) throws Exception {
        if (res.statusCode() != 200) {
            throw new AssertionError(res.request().uri() + " answered " + res.statusCode() + ": " + res.body());
        }
        return JSON.readTree(res.body());
    }

    HttpResponse<String> chat(String model, String prompt) throws Exception {
        return post("/v1/chat/completions", JSON.createObjectNode().put("model", model).put("max_tokens", 8)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", prompt))).toString());
    }

    /**
     * Local, remote, failed and fallen-back calls: two on the local model, one on each vendor, one naming Claude
     * while it is down (a 502), one that Claude fails and DeepSeek answers; returns their call ids (the failed one's
     * from the ledger). Waits until the ledger has them all.
     */
    List<String> scriptedMix() throws Exception {
        List<String> ids = new ArrayList<>();
        ids.add(callId(chat("tiny", "Say hello.")));
        ids.add(callId(chat("tiny", "Name a colour.")));
        ids.add(callId(chat(CLAUDE, "Write a haiku about ledgers.")));
        ids.add(callId(chat("deepseek-flash", "What is 2 + 2?")));
        anthropic.defaultReply(FakeReply.failing(new Fault.Status(500, Map.of(), "api_error", "the fake is down")));
        try {
            HttpResponse<String> failed = chat(CLAUDE, "This one fails.");
            if (failed.statusCode() < 500) {
                throw new AssertionError("the call to a down vendor should fail: " + failed.body());
            }
            HttpResponse<String> fellBack = chat("auto", "Write a sonnet about the sea.");
            ids.add(callId(fellBack));
        } finally {
            anthropic.defaultReply(FakeReply.text("Hello from the fake upstream."));
        }
        hearth.flushCalls();
        return ids;
    }

    private static String callId(HttpResponse<String> res) {
        if (res.statusCode() != 200) {
            throw new AssertionError("a scripted call failed: " + res.statusCode() + " " + res.body());
        }
        return res.headers().firstValue("x-hearth-call-id").orElseThrow();
    }

    @Override
    public void close() throws Exception {
        server.close();
        hearth.close();
        anthropic.close();
        deepseek.close();
    }
}
