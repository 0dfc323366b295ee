package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.CallRecord;
import dev.hearth.testkit.upstream.FakeReply;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache over HTTP: a deterministic request is sent to the vendor once, the second answered from the
 * cache ({@code x-hearth-cache: hit}, cost 0), whole or streamed; {@code Cache-Control: no-cache} asks the vendor
 * again; a request that is not deterministic is sent each time unless {@code x-hearth-cache-mode: opt-in}; two API keys
 * never share; the hit is in the ledger and in {@code /v1/hearth/spend}; {@code HEARTH_CACHE=off} sends every request.
 */
class ResponseCacheServerTest {
    private static final String CLAUDE = LiveHearth.CLAUDE;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String body(String prompt, Double temperature, boolean stream) {
        ObjectNode o = LiveHearth.JSON.createObjectNode().put("model", CLAUDE).put("max_tokens", 32)
                .put("stream", stream);
        if (temperature != null) {
            o.put("temperature", temperature);
        }
        o.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return o.toString();
    }

    private HttpResponse<String> post(LiveHearth live, String path, String json, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(live.uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<String> res) {
        return res.headers().firstValue("x-hearth-cache").orElse("(none)");
    }

    private static String content(HttpResponse<String> res) throws Exception {
        return LiveHearth.ok(res).path("choices").path(0).path("message").path("content").asText();
    }

    /** The text of an OpenAI stream's content chunks, in order. */
    private static List<String> deltas(HttpResponse<String> res) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (String line : res.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode delta = LiveHearth.JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
                if (delta.hasNonNull("content") && !delta.path("content").asText().isEmpty()) {
                    out.add(delta.path("content").asText());
                }
            }
        }
        return out;
    }

    @Test
    void aDeterministicRequestIsSentOnceAndAnsweredFromTheCacheWholeOrStreamed() throws Exception {
        try (LiveHearth live = LiveHearth.start(dir)) {
            live.anthropic.defaultReply(FakeReply.text("Oslo is lovely in June, and Bergen in July."));
            HttpResponse<String> first = post(live, "/v1/chat/completions", body("Where in June?", 0.0, false));
            assertThat(cache(first)).isEqualTo("miss");
            HttpResponse<String> second = post(live, "/v1/chat/completions", body("Where in June?", 0.0, false));
            assertThat(cache(second)).isEqualTo("hit");
            assertThat(content(second)).isEqualTo(content(first))
                    .isEqualTo("Oslo is lovely in June, and Bergen in July.");
            assertThat(second.headers().firstValue("x-hearth-cost-usd")).contains("0");
            assertThat(second.headers().firstValue("x-hearth-model")).contains(CLAUDE);
            assertThat(live.anthropic.received()).as("the vendor was called once").hasSize(1);

            HttpResponse<String> streamed = post(live, "/v1/chat/completions", body("Where in June?", 0.0, true));
            assertThat(cache(streamed)).as("said before the first event").isEqualTo("hit");
            List<String> deltas = deltas(streamed);
            assertThat(String.join("", deltas)).isEqualTo("Oslo is lovely in June, and Bergen in July.");
            assertThat(deltas).as("as deltas").hasSizeGreaterThan(1);
            assertThat(live.anthropic.received()).hasSize(1);

            HttpResponse<String> fresh = post(live, "/v1/chat/completions", body("Where in June?", 0.0, false),
                    "cache-control", "no-cache");
            assertThat(cache(fresh)).isEqualTo("bypass");
            assertThat(live.anthropic.received()).as("no-cache asks the vendor again").hasSize(2);

            // Anthropic's Messages API takes the same cache
            String messages = LiveHearth.JSON.createObjectNode().put("model", CLAUDE).put("max_tokens", 32)
                    .put("temperature", 0).set("messages", LiveHearth.JSON.createArrayNode().add(LiveHearth.JSON
                            .createObjectNode().put("role", "user").put("content", "Where in June?"))).toString();
            assertThat(cache(post(live, "/v1/messages", messages))).isEqualTo("hit");
            assertThat(live.anthropic.received()).hasSize(2);

            live.hearth.flushCalls();
            CallRecord hit = live.hearth.ledger().call(second.headers().firstValue("x-hearth-call-id").orElseThrow())
                    .orElseThrow();
            assertThat(hit.cacheHits()).isOne();
            assertThat(hit.costUsd()).isEqualByComparingTo("0");
            assertThat(hit.savedUsd()).isPositive();
            JsonNode spend = LiveHearth.ok(live.get("/v1/hearth/spend"));
            assertThat(spend.path("cache_hits").asLong()).isEqualTo(3);
            assertThat(spend.path("cache_saved_usd").decimalValue()).isEqualByComparingTo(hit.savedUsd()
                    .multiply(BigDecimal.valueOf(3)));
        }
    }

    @Test
    void aRequestThatIsNotDeterministicIsSentEachTimeUnlessTheClientOptsIn() throws Exception {
        try (LiveHearth live = LiveHearth.start(dir)) {
            assertThat(cache(post(live, "/v1/chat/completions", body("A story.", null, false)))).isEqualTo("bypass");
            assertThat(cache(post(live, "/v1/chat/completions", body("A story.", 0.9, false)))).isEqualTo("bypass");
            assertThat(live.anthropic.received()).hasSize(2);
            assertThat(cache(post(live, "/v1/chat/completions", body("A story.", 0.9, false),
                    "x-hearth-cache-mode", "opt-in"))).isEqualTo("miss");
            assertThat(cache(post(live, "/v1/chat/completions", body("A story.", 0.9, false),
                    "x-hearth-cache-mode", "opt-in"))).isEqualTo("hit");
            assertThat(live.anthropic.received()).hasSize(3);
            HttpResponse<String> bad = post(live, "/v1/chat/completions", body("A story.", 0.9, false),
                    "x-hearth-cache-mode", "sometimes");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("x-hearth-cache-mode must be default, opt-in, semantic or bypass");
        }
    }

    @Test
    void twoApiKeysNeverShareAnAnswer() throws Exception {
        try (LiveHearth live = LiveHearth.start(dir)) {
            String a = live.hearth.ledger().keys().create(new ApiKeys.KeySpec("team-a", null, null, null, List.of(),
                    true)).secret();
            String b = live.hearth.ledger().keys().create(new ApiKeys.KeySpec("team-b", null, null, null, List.of(),
                    true)).secret();
            String q = body("Summarise the plan.", 0.0, false);
            assertThat(cache(post(live, "/v1/chat/completions", q, "authorization", "Bearer " + a))).isEqualTo("miss");
            assertThat(cache(post(live, "/v1/chat/completions", q, "authorization", "Bearer " + b))).isEqualTo("miss");
            assertThat(cache(post(live, "/v1/chat/completions", q, "authorization", "Bearer " + a))).isEqualTo("hit");
            assertThat(cache(post(live, "/v1/chat/completions", q, "authorization", "Bearer " + b))).isEqualTo("hit");
            assertThat(live.anthropic.received()).hasSize(2);
        }
    }

    @Test
    void theCacheSurvivesARestartAndCanBeTurnedOff() throws Exception {
        try (LiveHearth live = LiveHearth.start(dir)) {
            post(live, "/v1/chat/completions", body("Remember me.", 0.0, false));
            live.restart();
            assertThat(cache(post(live, "/v1/chat/completions", body("Remember me.", 0.0, false)))).isEqualTo("hit");
            assertThat(live.anthropic.received()).hasSize(1);
        }
        try (LiveHearth off = LiveHearth.start(dir, Map.of("HEARTH_CACHE", "off"))) {
            assertThat(cache(post(off, "/v1/chat/completions", body("Remember me.", 0.0, false)))).isEqualTo("bypass");
            assertThat(cache(post(off, "/v1/chat/completions", body("Remember me.", 0.0, false)))).isEqualTo("bypass");
            assertThat(off.anthropic.received()).hasSize(2);
        }
    }
}
