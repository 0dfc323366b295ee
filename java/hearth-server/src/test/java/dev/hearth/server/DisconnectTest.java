package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.host.ModelHost;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty clients that hang up mid-stream: each generation is cancelled (the SSE write fails, the sink throws, the
 * engine stops the slot), no lease on the model is left behind, the next request is answered, and the ledger holds
 * twenty calls with outcome cancelled, each with the tokens it had used.
 */
class DisconnectTest {
    private static final int CLIENTS = 20;
    private static final String ASK = "\"model\":\"tiny\",\"temperature\":0,\"seed\":1,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Count to a thousand.\"}]";

    private static final String LONG_ANSWER = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{"
            + "\"name\":\"numbers\",\"schema\":{\"type\":\"string\",\"minLength\":1000}}}";

    @TempDir
    Path dir;

    @Test
    void clientsThatLeaveMidStreamLeaveNoBusySlotAndCancelledCalls() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny"));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withDrainTimeout(Duration.ofSeconds(5)))) {
            HttpClient http = HttpClient.newHttpClient();
            URI chat = URI.create(server.baseUri() + "/chat/completions");
            // the streams must still be generating when their clients leave, whatever the random weights favour: a
            // grammar that allows no end before a string of a thousand characters keeps each one going
            String body = "{" + ASK + ",\"max_tokens\":1500,\"stream\":true," + LONG_ANSWER + "}";
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<String>> left = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                left.add(pool.submit(() -> leaveAfterFirstContent(server.port(), body)));
            }
            for (Future<String> f : left) {
                assertThat(f.get()).as("a client saw content before leaving").contains("\"content\"");
            }
            pool.shutdown();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (leases(hearth) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(leases(hearth)).as("leases on the model still held").isZero();
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(chat).header("content-type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString("{" + ASK + ",\"max_tokens\":4}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);

            hearth.flushCalls();
            List<CallRecord> calls = hearth.ledger().recentCalls(100).stream()
                    .filter(c -> c.entryPoint() == EntryPoint.HTTP).toList();
            assertThat(calls).hasSize(CLIENTS + 1);
            List<CallRecord> cancelled = calls.stream().filter(c -> c.outcome().equals(CallEnd.CANCELLED)).toList();
            assertThat(cancelled).hasSize(CLIENTS);
            // the engine's own counts at the moment each client left: the prompt, and at least the token it had seen
            assertThat(cancelled).allSatisfy(c -> {
                assertThat(c.tokens().input()).as("prompt tokens of a cancelled call").isPositive();
                assertThat(c.tokens().output()).as("tokens generated before the client left").isPositive();
                assertThat(c.model()).isEqualTo("tiny");
            });
        }
    }

    /**
     * A client that leaves a remote stream: the vendor's stream is aborted, and the call is recorded cancelled with the
     * tokens used by then (input as estimated before sending, output estimated from the text that had arrived; the
     * fake reports its usage only at the end) and what they cost at the model's price.
     */
    @Test
    void aClientThatLeavesARemoteStreamIsRecordedWithTheTokensItUsed() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer("d-key", FakeOpenAiServer.Flavor.DEEPSEEK);
                Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "remote_only",
                        "DEEPSEEK_API_KEY", "d-key", "DEEPSEEK_BASE_URL", fake.baseUri().toString()));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0))) {
            String words = String.join(" ", java.util.Collections.nCopies(200, "lighthouse"));
            fake.enqueue(FakeReply.text(words).withTokenDelay(Duration.ofMillis(20)));
            String body = "{\"model\":\"deepseek-flash\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + "Tell me about lighthouses. ".repeat(40) + "\"}]}";
            assertThat(leaveAfterFirstContent(server.port(), body)).contains("lighthouse");

            hearth.flushCalls();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<CallRecord> calls = hearth.ledger().recentCalls(10);
            while ((calls.isEmpty() || calls.getFirst().endedAt() == null) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                hearth.flushCalls();
                calls = hearth.ledger().recentCalls(10);
            }
            assertThat(calls).hasSize(1);
            CallRecord c = calls.getFirst();
            assertThat(c.outcome()).isEqualTo(CallEnd.CANCELLED);
            assertThat(c.tokens().input()).as("the prompt's estimate: 1,080 characters, about 4 a token")
                    .isGreaterThanOrEqualTo(1080 / 4);
            assertThat(c.tokens().output()).as("estimated from what arrived before the client left").isPositive()
                    .isLessThan(words.length() / 4);
            assertThat(c.costUsd()).isPositive();
            assertThat(c.provider()).isEqualTo("deepseek");
        }
    }

    /** Asks for a long stream, reads until the first content chunk, and closes the connection; returns that chunk. */
    private static String leaveAfterFirstContent(int port, String body) throws Exception {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(json);
            s.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                seen.append(line).append('\n');
                if (line.matches(".*\"content\":\"[^\"].*")) { // text, not the role chunk's empty content
                    s.setSoLinger(true, 0); // hang up at once (a reset), as a client that is killed does
                    return line;
                }
            }
            return seen.toString(); // the stream ended before any content: what it said instead
        }
    }

    private static int leases(Hearth hearth) throws InterruptedException {
        return hearth.host().loaded().stream().mapToInt(ModelHost.LoadedModel::leases).sum();
    }
}
