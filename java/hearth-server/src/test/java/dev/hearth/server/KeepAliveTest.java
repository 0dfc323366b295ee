package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream that goes quiet (here: a vendor that takes 400 ms per token, against a 50 ms keep-alive) gets filler
 * events between its answer's events: Anthropic's {@code ping} on {@code /v1/messages}, an SSE comment on
 * {@code /v1/chat/completions}. None comes before the stream's first event, whose status is still open until then.
 */
class KeepAliveTest {
    @TempDir
    Path dir;

    @Test
    void quietStreamsGetPingsOrCommentsBetweenEventsAndNoneBeforeTheFirst() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer("k");
                Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                        "ANTHROPIC_API_KEY", "k", "ANTHROPIC_BASE_URL", fake.baseUri().toString()));
                HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                        .withKeepAlive(Duration.ofMillis(50)))) {
            fake.enqueue(FakeReply.text("one two three").withTokenDelay(Duration.ofMillis(400)));
            List<String> messages = lines(server, "/v1/messages", "{\"model\":\"claude-sonnet-4-6\",\"stream\":true,"
                    + "\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}");
            assertThat(messages.getFirst()).isEqualTo("event: message_start");
            int firstDelta = messages.indexOf("event: content_block_delta");
            assertThat(messages.subList(firstDelta, messages.size())).contains("event: ping");
            assertThat(messages).contains("data: {\"type\":\"ping\"}").last().asString().contains("message_stop");

            fake.enqueue(FakeReply.text("one two three").withTokenDelay(Duration.ofMillis(400)));
            List<String> chunks = lines(server, "/v1/chat/completions", "{\"model\":\"claude-sonnet-4-6\","
                    + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}");
            assertThat(chunks.getFirst()).as("the role chunk comes first").contains("\"role\":\"assistant\"");
            assertThat(chunks).contains(": keep-alive").last().isEqualTo("data: [DONE]");
            assertThat(String.join("", chunks)).contains("three");
        }
    }

    private static List<String> lines(HearthServer server, String path, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        return res.body().filter(l -> !l.isEmpty()).toList();
    }
}
