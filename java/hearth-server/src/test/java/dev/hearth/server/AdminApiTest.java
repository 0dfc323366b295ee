package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.GenAi;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API against a live server: keys made, changed and revoked over HTTP take effect at once (a revoked key
 * gets 401 on its next request, a lowered budget refuses the next remote call), a key without the admin scope is
 * refused, models load and unload, secrets never appear in the configuration, and every change is in the trail with
 * who made it.
 */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> send(HearthServer server, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')));
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void operatorsManageKeysBudgetsAndModelsOverHttpAndEveryChangeHoldsAtOnce() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("sk-ant-secret-value-123");
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                     "LOCAL_MODEL_NAME", "tiny", "ANTHROPIC_API_KEY", "sk-ant-secret-value-123",
                     "ANTHROPIC_BASE_URL", claude.baseUri().toString()));
             HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                     .withDrainTimeout(Duration.ofSeconds(5)))) {
            // open loopback server: the first admin key is made over HTTP
            HttpResponse<String> made = send(server, "POST", "/v1/hearth/admin/keys", null,
                    "{'name':'ops','admin':true}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String ops = JSON.readTree(made.body()).get("secret").asText();
            JsonNode user = JSON.readTree(send(server, "POST", "/v1/hearth/admin/keys", ops,
                    "{'name':'app','monthly_usd':5,'allow_external':true}").body());
            String app = user.get("secret").asText();
            assertThat(user.get("admin").asBoolean()).isFalse();

            assertThat(send(server, "GET", "/v1/hearth/admin/keys", null, null).statusCode())
                    .as("keys exist now: a key is required").isEqualTo(401);
            HttpResponse<String> notAdmin = send(server, "GET", "/v1/hearth/admin/keys", app, null);
            assertThat(notAdmin.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(notAdmin.body()).at("/error/message").asText()).contains("--admin");
            JsonNode keys = JSON.readTree(send(server, "GET", "/v1/hearth/admin/keys", ops, null).body());
            assertThat(keys.get("data").findValuesAsText("name")).containsExactly("app", "ops");
            assertThat(keys.toString()).doesNotContain(app.substring(10)).doesNotContain(ops.substring(10));

            // a lowered budget refuses the next remote call, before anything is sent
            String ask = "{'model':'claude-sonnet-4-6','max_tokens':200,'messages':[{'role':'user','content':'Hi'}]}";
            assertThat(send(server, "POST", "/v1/chat/completions", app, ask).statusCode()).isEqualTo(200);
            int sent = claude.received().size();
            HttpResponse<String> lowered = send(server, "PATCH", "/v1/hearth/admin/keys/app", ops,
                    "{'monthly_usd':0.000001}");
            assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
            HttpResponse<String> refused = send(server, "POST", "/v1/chat/completions", app, ask);
            assertThat(claude.received()).as("held back before sending").hasSize(sent);
            if (refused.statusCode() == 200) { // the chain's local fallback answered instead, for free
                assertThat(refused.headers().firstValue("x-hearth-local")).hasValue("true");
            } else {
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
                assertThat(JSON.readTree(refused.body()).at("/error/type").asText()).isEqualTo("insufficient_quota");
            }

            // a revoked key gets 401 on its very next request
            assertThat(send(server, "GET", "/v1/models", app, null).statusCode()).isEqualTo(200);
            assertThat(send(server, "DELETE", "/v1/hearth/admin/keys/app", ops, null).statusCode()).isEqualTo(200);
            assertThat(send(server, "GET", "/v1/models", app, null).statusCode()).isEqualTo(401);

            // budgets, models, health and configuration
            assertThat(send(server, "PUT", "/v1/hearth/admin/budgets", ops,
                    "{'scope':'provider:anthropic','period':'day','limit_usd':2}").statusCode()).isEqualTo(200);
            assertThat(hearth.ledger().budgets()).anySatisfy(b -> assertThat(b.budget().scope().toString())
                    .isEqualTo("provider anthropic"));
            assertThat(send(server, "DELETE", "/v1/hearth/admin/budgets?scope=provider:anthropic&period=day", ops,
                    null).statusCode()).isEqualTo(200);
            assertThat(send(server, "POST", "/v1/hearth/admin/models/tiny/load", ops, null).statusCode())
                    .isEqualTo(200);
            assertThat(hearth.host().loaded()).extracting(m -> m.id()).contains("tiny");
            JsonNode models = JSON.readTree(send(server, "POST", "/v1/hearth/admin/models/tiny/unload", ops, null)
                    .body());
            assertThat(models.get("data").findValuesAsText("id")).contains("tiny", "claude-sonnet-4-6");
            assertThat(send(server, "POST", "/v1/hearth/admin/models/claude-sonnet-4-6/load", ops, null)
                    .statusCode()).as("not a local model").isEqualTo(404);
            assertThat(JSON.readTree(send(server, "GET", "/v1/hearth/admin/health", ops, null).body())
                    .at("/claude-sonnet-4-6/state").asText()).isEqualTo("closed");
            JsonNode scan = JSON.readTree(send(server, "POST", "/v1/hearth/admin/models/scan", ops, null).body());
            assertThat(scan.get("models")).anySatisfy(m -> {
                assertThat(m.get("name").asText()).isEqualTo("tiny");
                assertThat(m.get("source").asText()).isEqualTo("cache");
                assertThat(m.get("quantization").asText()).isEqualTo("F32");
            });
            assertThat(scan.get("skipped")).isEmpty();
            String config = send(server, "GET", "/v1/hearth/admin/config", ops, null).body();
            assertThat(JSON.readTree(config).get("ANTHROPIC_API_KEY").asText()).isEqualTo("********");
            assertThat(config).doesNotContain("sk-ant-secret-value-123").contains("LLM_STRATEGY");

            JsonNode trail = JSON.readTree(send(server, "GET", "/v1/hearth/admin/trail?last=20", ops, null).body());
            assertThat(trail.findValuesAsText("name")).contains("hearth.admin.key.create", "hearth.admin.key.update",
                    "hearth.admin.key.revoke", "hearth.admin.budget.set", "hearth.admin.budget.remove",
                    "hearth.admin.model.load", "hearth.admin.model.unload", "hearth.admin.model.scan");
            assertThat(trail.get(0).get("attributes").get(GenAi.HEARTH_ACTOR).asText()).isEqualTo("ops");
            assertThat(trail.get(trail.size() - 1).get("attributes").get(GenAi.HEARTH_ACTOR).asText())
                    .as("the first key was made on the open loopback server").isEqualTo("loopback");

            // the dashboard's page holds no data: it loads without a key, its data does not
            assertThat(send(server, "GET", "/dashboard", null, null).statusCode()).isEqualTo(200);
            assertThat(send(server, "GET", "/v1/hearth/spend", null, null).statusCode()).isEqualTo(401);
        }
    }
}
