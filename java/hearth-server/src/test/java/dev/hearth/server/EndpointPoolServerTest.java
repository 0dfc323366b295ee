package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ConversationKey;
import dev.hearth.api.spi.PrefixReport;
import dev.hearth.router.EndpointPool;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway Hearth in front of two worker Hearth servers that serve the synthetic model on loopback, the gateway's
 * hearth.toml naming them as one model's pool of endpoints: the turns of a conversation reach the same worker (whose
 * engine reuses the conversation's prefix), a worker whose server stops is ejected and its conversations move to the
 * other, and once it listens again a probe re-admits it.
 */
class EndpointPoolServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<Hearth> workers = new ArrayList<>();
    private final List<HearthServer> workerServers = new ArrayList<>();
    private final List<URI> workerUris = new ArrayList<>(); // a stopped server has no port to ask
    private Hearth gateway;
    private HearthServer gatewayServer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        SyntheticModel.tiny().write(models.resolve("tiny.gguf"));
        List<String> endpoints = new ArrayList<>();
        for (String name : List.of("w0", "w1")) {
            Hearth worker = Hearth.fromEnvironment(CleanEnvironment.in(dir.resolve(name), "LLM_STRATEGY", "local_only",
                    "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", models.toString(), "HEARTH_CACHE", "off"));
            workers.add(worker);
            HearthServer server = HearthServer.start(worker, settings(0));
            workerServers.add(server);
            workerUris.add(server.baseUri());
            endpoints.add("\"" + server.baseUri() + "\"");
        }
        Path toml = dir.resolve("gateway.toml");
        Files.writeString(toml, """
                [[model]]
                id = "pool"
                provider = "hearth"
                model = "tiny"
                endpoints = [%s]
                """.formatted(String.join(", ", endpoints)));
        gateway = Hearth.fromEnvironment(CleanEnvironment.in(dir.resolve("gateway"), "HEARTH_CONFIG", toml.toString(),
                "LLM_STRATEGY", "remote_only", "HEARTH_ALLOW_EXTERNAL", "true", "HEARTH_CACHE", "off",
                "HEARTH_POOL_PROBE_SECONDS", "0.5", "HEARTH_POOL_EJECT_SECONDS", "0.5"));
        gatewayServer = HearthServer.start(gateway, settings(0));
    }

    private static ServerSettings settings(int port) {
        return ServerSettings.defaults().withPort(port).withDrainTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        gatewayServer.close();
        gateway.close();
        workerServers.forEach(HearthServer::close);
        workers.forEach(Hearth::close);
    }

    /** Sends the conversation to the gateway's pool; returns the answer's text. */
    private String turn(List<ChatMessage> messages) throws Exception {
        ArrayNode wire = JSON.createArrayNode();
        messages.forEach(m -> wire.addObject().put("role", m.role().wireName()).put("content", m.content()));
        ObjectNode body = JSON.createObjectNode().put("model", "pool").put("max_tokens", 4).put("temperature", 0);
        body.set("messages", wire);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(gatewayServer.baseUri()
                        + "/chat/completions")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).at("/choices/0/message/content").asText();
    }

    /** A worker's figures as it reports them itself, at {@code GET /v1/hearth/prefixes}. */
    private record Served(long promptTokens, long reusedPromptTokens) {
    }

    private Served served(int worker) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(workerServers.get(worker).baseUri()
                + "/hearth/prefixes")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        for (JsonNode m : JSON.readTree(res.body()).path("models")) {
            if (m.path("model").asText().equals("tiny")) {
                return new Served(m.path("prompt_tokens").asLong(), m.path("reused_prompt_tokens").asLong());
            }
        }
        return new Served(0, 0); // not loaded yet
    }

    private PrefixReport report(int worker) {
        return workers.get(worker).prefixes().getOrDefault("tiny", PrefixReport.NONE);
    }

    /** The worker whose engine slots hold the conversation. */
    private int holder(String key) {
        List<Integer> holding = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            if (report(w).conversations().contains(key)) {
                holding.add(w);
            }
        }
        assertThat(holding).as("the workers holding conversation " + key).hasSize(1);
        return holding.getFirst();
    }

    private EndpointPool.EndpointStats endpoint(int worker) {
        URI uri = workerUris.get(worker);
        return gateway.endpointPools().get("pool").stream().filter(s -> s.endpoint().equals(uri)).findFirst()
                .orElseThrow();
    }

    @Test
    void turnsStayOnOneWorkerWhoseCacheIsWarmAndMoveWhenItDiesAndItIsReadmittedWhenItReturns() throws Exception {
        List<ChatMessage> talk = new ArrayList<>(List.of(ChatMessage.system("You answer in one word."),
                ChatMessage.user("Name a river in Europe, and say why it matters to the towns along it.")));
        String key = ConversationKey.of(talk);
        List<Served> atStart = List.of(served(0), served(1));
        talk.add(ChatMessage.assistant(turn(talk)));
        int home = holder(key);
        int other = 1 - home;
        Served afterFirst = served(home);
        long firstPrompt = afterFirst.promptTokens() - atStart.get(home).promptTokens();
        long firstReused = afterFirst.reusedPromptTokens() - atStart.get(home).reusedPromptTokens();

        // the second turn goes to the same worker, whose slot still holds the conversation's opening: the worker's
        // own report (what the gateway's probe reads) says the turn's prompt was mostly taken from that cache
        talk.add(ChatMessage.user("And a mountain?"));
        talk.add(ChatMessage.assistant(turn(talk)));
        assertThat(holder(key)).isEqualTo(home);
        Served afterSecond = served(home);
        long secondReused = afterSecond.reusedPromptTokens() - afterFirst.reusedPromptTokens();
        assertThat(served(other)).as("the other worker served nothing").isEqualTo(atStart.get(other));
        assertThat(firstReused).as("a new conversation: nothing of it in the worker's cache").isZero();
        // all of the first turn's prompt, but for its last token, which a tokenizer may join to the answer's first
        assertThat(secondReused).as("prompt tokens the home worker reports it reused for the second turn")
                .isPositive().isGreaterThanOrEqualTo(firstPrompt - 1);
        assertThat(endpoint(home).requests()).isEqualTo(2);
        assertThat(endpoint(other).requests()).isZero();

        // the home worker dies: the next turn is refused there, so it is ejected and the turn answered by the other
        int port = workerServers.get(home).port();
        workerServers.get(home).close();
        talk.add(ChatMessage.user("And a lake?"));
        talk.add(ChatMessage.assistant(turn(talk)));
        assertThat(endpoint(home).state()).isNotEqualTo("healthy");
        assertThat(report(other).conversations()).contains(key);
        JsonNode dashboard = JSON.readTree(get("/v1/hearth/host")).path("endpoints");
        assertThat(dashboard).hasSize(2);
        assertThat(dashboard.findValuesAsText("state")).contains("healthy");
        String metrics = get("/metrics");
        assertThat(metrics).contains("hearth_pool_endpoint_healthy{endpoint=\"" + workerUris.get(other)
                + "\",model=\"pool\"} 1.0");
        assertThat(metrics).contains("hearth_pool_endpoint_healthy{endpoint=\"http://127.0.0.1:" + port
                + "/v1\",model=\"pool\"} 0.0");
        assertThat(metrics).contains("hearth_pool_endpoint_requests_total{endpoint=\"" + workerUris.get(other) + "\",model=\"pool\"} 1.0");

        // it listens again: a probe re-admits it, and the conversation stays where its cache is now warm
        workerServers.set(home, HearthServer.start(workers.get(home), settings(port)));
        long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!endpoint(home).state().equals("healthy") && System.nanoTime() < waitUntil) {
            Thread.sleep(50);
        }
        assertThat(endpoint(home).state()).as("re-admitted by a probe").isEqualTo("healthy");
        long homeRequests = endpoint(home).requests();
        talk.add(ChatMessage.user("And a sea?"));
        turn(talk);
        assertThat(endpoint(home).requests()).isEqualTo(homeRequests);
        assertThat(endpoint(other).requests()).isEqualTo(2);
    }

    @Test
    void aWorkerReportsTheConversationsItsSlotsHoldAndTheGatewayReportsNoneOfItsOwn() throws Exception {
        List<ChatMessage> talk = List.of(ChatMessage.user("Say one word."));
        turn(talk);
        int home = holder(ConversationKey.of(talk));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(workerServers.get(home).baseUri()
                + "/hearth/prefixes")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode model = JSON.readTree(res.body()).at("/models/0");
        assertThat(model.path("model").asText()).isEqualTo("tiny");
        assertThat(model.path("conversations").toString()).contains(ConversationKey.of(talk));
        assertThat(model.path("prompt_tokens").asLong()).isPositive();
        assertThat(JSON.readTree(get("/v1/hearth/prefixes")).path("models")).as("the gateway loads no model").isEmpty();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gatewayServer.port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body();
    }
}
