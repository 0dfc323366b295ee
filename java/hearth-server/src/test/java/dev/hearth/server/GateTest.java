package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.CallRecord;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate in front of every route, on a server whose ledger holds keys: the synthetic local model and a faked Anthropic
 * behind it. Status codes, wire shapes, what reaches the vendor and what the ledger records, never what a model writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL = "{\"model\":\"tiny\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hi.\"}]}";
    private static final String REMOTE = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"Say hi.\"}]}";

    @TempDir
    static Path dir;
    private FakeAnthropicServer fake;
    private Hearth hearth;
    private HearthServer server;
    private String full;
    private String localOnly;
    private String tinyOnly;
    private String slow;
    private String broke;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        fake = new FakeAnthropicServer("vendor-key");
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid", "LOCAL_MODEL_NAME", "tiny",
                "ANTHROPIC_API_KEY", "vendor-key", "ANTHROPIC_BASE_URL", fake.baseUri().toString()));
        ApiKeys keys = hearth.ledger().keys();
        full = keys.create(new ApiKeys.KeySpec("full", null, null, null, List.of(), true)).secret();
        localOnly = keys.create(ApiKeys.KeySpec.named("local-only")).secret();
        tinyOnly = keys.create(new ApiKeys.KeySpec("tiny-only", null, null, null, List.of("tiny"), true)).secret();
        slow = keys.create(new ApiKeys.KeySpec("slow", null, 2, null, List.of(), false)).secret();
        broke = keys.create(new ApiKeys.KeySpec("broke", BigDecimal.ZERO, null, null, List.of(), true)).secret();
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        hearth.close();
        fake.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body());
    }

    @Test
    void everyRouteButHealthNeedsAKeyAndSaysSoInItsOwnShape() throws Exception {
        HttpResponse<String> openai = send("POST", "/v1/chat/completions", LOCAL);
        assertThat(openai.statusCode()).isEqualTo(401);
        assertThat(json(openai).at("/error/code").asText()).isEqualTo("missing_api_key");
        assertThat(json(openai).at("/error/message").asText()).contains("keys create");

        HttpResponse<String> anthropic = send("POST", "/v1/messages", LOCAL);
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(json(anthropic).get("type").asText()).isEqualTo("error");
        assertThat(json(anthropic).at("/error/type").asText()).isEqualTo("authentication_error");

        HttpResponse<String> ollama = send("GET", "/api/tags", null); // a route added later is behind the gate too
        assertThat(ollama.statusCode()).isEqualTo(401);
        assertThat(json(ollama).get("error").isTextual()).isTrue();

        assertThat(send("GET", "/v1/models", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        HttpResponse<String> res = send("GET", "/v1/models", null, "authorization", "Bearer hk-not-a-key");
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(json(res).at("/error/code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void aValidKeyAnswersAndTheLedgerNamesIt() throws Exception {
        HttpResponse<String> res = send("POST", "/v1/chat/completions", LOCAL, "authorization", "Bearer " + full);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        hearth.flushCalls();
        CallRecord call = hearth.ledger().call(res.headers().firstValue("x-hearth-call-id").orElseThrow())
                .orElseThrow();
        assertThat(call.caller().keyName()).isEqualTo("full");
        assertThat(send("GET", "/v1/models", null, "x-api-key", full).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyMayUseOnlyItsModels() throws Exception {
        int before = fake.received().size();
        HttpResponse<String> res = send("POST", "/v1/chat/completions", REMOTE, "authorization", "Bearer " + tinyOnly);
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(json(res).at("/error/code").asText()).isEqualTo("model_not_allowed");
        assertThat(json(res).at("/error/message").asText()).contains("tiny");
        assertThat(fake.received()).hasSize(before);
        assertThat(send("POST", "/v1/chat/completions", LOCAL, "authorization", "Bearer " + tinyOnly).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aKeyThatMayNotLeaveTheMachineIsRefusedARemoteModelBeforeAnythingIsSent() throws Exception {
        int before = fake.received().size();
        HttpResponse<String> res = send("POST", "/v1/messages", REMOTE, "x-api-key", localOnly);
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(json(res).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(json(res).at("/error/message").asText()).contains("--allow-external");
        assertThat(fake.received()).hasSize(before);
        assertThat(send("POST", "/v1/messages", LOCAL, "x-api-key", localOnly).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyPastItsRequestsPerMinuteWaitsAsEachWireSays() throws Exception {
        assertThat(send("GET", "/v1/models", null, "x-api-key", slow).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/models", null, "x-api-key", slow).statusCode()).isEqualTo(200);
        HttpResponse<String> openai = send("GET", "/v1/models", null, "x-api-key", slow);
        assertThat(openai.statusCode()).isEqualTo(429);
        assertThat(json(openai).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(Long.parseLong(openai.headers().firstValue("retry-after").orElseThrow())).isPositive();
        HttpResponse<String> anthropic = send("POST", "/v1/messages", LOCAL, "x-api-key", slow);
        assertThat(anthropic.statusCode()).isEqualTo(429);
        assertThat(json(anthropic).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(anthropic.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void aKeyWithNoBudgetLeftIsRefusedARemoteCall() throws Exception {
        int before = fake.received().size();
        HttpResponse<String> openai = send("POST", "/v1/chat/completions", REMOTE, "authorization", "Bearer " + broke);
        assertThat(openai.statusCode()).as(openai.body()).isEqualTo(429);
        assertThat(json(openai).at("/error/type").asText()).isEqualTo("insufficient_quota");
        HttpResponse<String> anthropic = send("POST", "/v1/messages", REMOTE, "x-api-key", broke);
        assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(400);
        assertThat(json(anthropic).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(fake.received()).hasSize(before);
    }

    @Test
    void anAddressOtherThanLoopbackIsRefusedWhileNoKeyExists(@TempDir Path other) {
        try (Hearth open = Hearth.fromEnvironment(CleanEnvironment.in(other, "LLM_STRATEGY", "local_only"))) {
            assertThatThrownBy(() -> HearthServer.start(open, ServerSettings.defaults().withHost("0.0.0.0")
                    .withPort(0))).isInstanceOf(IllegalStateException.class).hasMessageContaining("keys create");
        }
    }
}
