package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth_speculation} on every face (chat completions, messages, responses, Ollama): a known setting reaches
 * the local engine and its drafted and accepted tokens show in /metrics by model; a bad one, or a draft model asked of
 * a model without one, is a 400 that says what to send. The model continues runs of token ids (successor weights) and its template renders the user's text alone.
 */
class SpeculationServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private Hearth hearth() {
        SyntheticModel.tiny().withChatFormat(List.of(), "{% for message in messages %}{{ message['content'] }}"
                + "{% endfor %}").writeSuccessor(dir.resolve("models").resolve("succ.gguf"));
        return Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "succ", "HEARTH_CACHE", "off"));
    }

    /** A run of byte tokens (0x01..0x1F), other text, then the run's start again. */
    private static String runAgain() {
        StringBuilder run = new StringBuilder();
        for (char c = 0x01; c <= 0x1F; c++) {
            run.append(c);
        }
        return run + " hello world " + run.substring(0, 6);
    }

    private HttpResponse<String> post(HearthServer server, String path, ObjectNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode chat(String speculation) {
        ObjectNode body = JSON.createObjectNode().put("model", "succ").put("max_tokens", 20).put("temperature", 0)
                .put("stream", false);
        body.putArray("messages").addObject().put("role", "user").put("content", runAgain());
        return speculation == null ? body : body.put("hearth_speculation", speculation);
    }

    private static ObjectNode ollama(String speculation) {
        ObjectNode body = JSON.createObjectNode().put("model", "succ").put("stream", false)
                .put("hearth_speculation", speculation);
        body.putObject("options").put("num_predict", 20).put("temperature", 0);
        body.putArray("messages").addObject().put("role", "user").put("content", runAgain());
        return body;
    }

    private static long counter(String metrics, String name) {
        Matcher m = Pattern.compile(name + "\\{model=\"succ\"} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void aSpeculatingRequestsDraftedAndAcceptedTokensShowInMetricsByModelAndItsAnswerIsTheOneWithout()
            throws Exception {
        try (Hearth hearth = hearth(); HearthServer server = HearthServer.start(hearth, ServerSettings.defaults()
                .withPort(0))) {
            HttpResponse<String> off = post(server, "/v1/chat/completions", chat("off"));
            HttpResponse<String> fast = post(server, "/v1/chat/completions", chat("prompt-lookup"));
            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            assertThat(fast.statusCode()).as(fast.body()).isEqualTo(200);
            JsonNode a = JSON.readTree(off.body()), b = JSON.readTree(fast.body());
            assertThat(b.at("/choices/0/message/content").asText()).isEqualTo(a.at("/choices/0/message/content")
                    .asText());
            HttpResponse<String> ollama = post(server, "/api/chat", ollama("prompt-lookup:4"));
            assertThat(ollama.statusCode()).as(ollama.body()).isEqualTo(200);

            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            long drafted = counter(metrics, "hearth_speculative_drafted_tokens_total");
            long accepted = counter(metrics, "hearth_speculative_accepted_tokens_total");
            assertThat(drafted).as(metrics).isPositive();
            assertThat(accepted).isPositive().isLessThanOrEqualTo(drafted);
        }
    }

    @Test
    void aBadSettingOnAnyFaceOrADraftModelTheModelLacksIsA400SayingWhatToSend() throws Exception {
        try (Hearth hearth = hearth(); HearthServer server = HearthServer.start(hearth, ServerSettings.defaults()
                .withPort(0))) {
            ObjectNode anthropic = chat("fast").put("max_tokens", 4);
            anthropic.remove("stream");
            ObjectNode responses = JSON.createObjectNode().put("model", "succ").put("input", "hi")
                    .put("hearth_speculation", "fast");
            for (var face : List.of(List.of("/v1/chat/completions", chat("fast")), List.of("/v1/messages", anthropic),
                    List.of("/api/chat", ollama("fast")), List.of("/v1/responses", responses))) {
                HttpResponse<String> res = post(server, (String) face.get(0), (ObjectNode) face.get(1));
                assertThat(res.statusCode()).as(face.get(0) + ": " + res.body()).isEqualTo(400);
                assertThat(res.body()).contains("hearth_speculation must be off, auto, prompt-lookup")
                        .contains("not \\\"fast\\\"");
            }
            HttpResponse<String> noDraft = post(server, "/v1/chat/completions", chat("draft-model"));
            assertThat(noDraft.statusCode()).as(noDraft.body()).isEqualTo(400);
            assertThat(noDraft.body()).contains("draft_model in the model's [[model]] in hearth.toml");
        }
    }
}
