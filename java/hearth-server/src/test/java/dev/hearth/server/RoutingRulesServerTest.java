package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets, licence rules and session locks over HTTP: x-hearth-preset and x-hearth-session, read in ServedCalls. */
class RoutingRulesServerTest {
    static final String CODE = "Write a Python function that parses ISO dates and add a unit test.";
    static final String QUICK = "What is the capital of Peru?";

    @TempDir
    Path dir;
    private final FakeAnthropicServer claude = new FakeAnthropicServer("ck");
    private final FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
    private final HttpClient http = HttpClient.newHttpClient();
    private Hearth hearth;
    private HearthServer server;

    RoutingRulesServerTest() throws Exception {
    }

    private void start(String... extra) throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"), w -> w.putString("general.license", "apache-2.0"));
        Map<String, String> env = new HashMap<>(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(),
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        claude.defaultReply(FakeReply.text("from claude"));
        deepseek.defaultReply(FakeReply.text("from deepseek"));
        hearth = Hearth.fromEnvironment(env);
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            hearth.close();
        }
        claude.close();
        deepseek.close();
    }

    private HttpResponse<String> chat(String model, String prompt, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.baseUri() + "/chat/completions"))
                .header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String model(HttpResponse<String> res) {
        return res.headers().firstValue("x-hearth-model").orElse("none");
    }

    @Test
    void aSessionHeaderKeepsTheConversationOnItsFirstModel() throws Exception {
        start();
        assertThat(model(chat("auto", QUICK, "x-hearth-session", "s1"))).isEqualTo("tiny");
        HttpResponse<String> code = chat("auto", CODE, "x-hearth-session", "s1");
        assertThat(code.statusCode()).isEqualTo(200);
        assertThat(model(code)).isEqualTo("tiny");
        assertThat(code.headers().firstValue("x-hearth-route-reason").orElseThrow())
                .startsWith("session s1 is locked to tiny");
        assertThat(model(chat("auto", CODE))).as("no session").isEqualTo("claude-sonnet-4-6");
        var explained = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/hearth/route"))
                .header("content-type", "application/json").header("x-hearth-session", "s1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + CODE + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(explained.body()).contains("session s1 is locked to tiny");
        HttpResponse<String> released = http.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/hearth/locks/s1")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.body()).contains("\"released\":true");
        assertThat(model(chat("auto", CODE, "x-hearth-session", "s1"))).isEqualTo("claude-sonnet-4-6");
    }

    @Test
    void aPresetHeaderChangesTheDecisionAndAnUnknownOneIsABadRequest() throws Exception {
        start();
        HttpResponse<String> cheap = chat("auto", CODE, "x-hearth-preset", "cheap");
        assertThat(model(cheap)).isEqualTo("deepseek-flash");
        assertThat(cheap.headers().firstValue("x-hearth-route-reason").orElseThrow()).contains("preset cheap:");
        HttpResponse<String> unknown = chat("auto", CODE, "x-hearth-preset", "turbo");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("must be one of [fast, cheap, reliable, balanced]");
        assertThat(claude.received()).isEmpty();
    }

    @Test
    void aNamedModelUnderAForbiddenLicenceIsRefusedWithTheLicenceAndTheRule() throws Exception {
        start("HEARTH_LICENSE_LEVEL", "permissive");
        HttpResponse<String> refused = chat("claude-sonnet-4-6", QUICK);
        assertThat(refused.statusCode()).isBetween(400, 499);
        assertThat(refused.body()).contains("under the licence proprietary-api (open-weights)")
                .contains("HEARTH_LICENSE_LEVEL=permissive");
        assertThat(model(chat("auto", CODE))).as("only the permissive local model may answer").isEqualTo("tiny");
        assertThat(claude.received()).isEmpty();
        assertThat(deepseek.received()).isEmpty();
    }
}
