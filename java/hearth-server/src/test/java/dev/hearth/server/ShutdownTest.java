package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server while a stream is in flight: the stream finishes, then nothing more is accepted. */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void aStreamInFlightFinishesWhileTheServerStops() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer("k");
                Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                        "ANTHROPIC_API_KEY", "k", "ANTHROPIC_BASE_URL", fake.baseUri().toString()))) {
            fake.enqueue(FakeReply.text("one two three four five six").withTokenDelay(Duration.ofMillis(100)));
            HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                    .withDrainTimeout(Duration.ofSeconds(30)));
            URI uri = URI.create(server.baseUri() + "/chat/completions");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<Stream<String>> res = http.send(HttpRequest.newBuilder(uri)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-6\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(res.statusCode()).isEqualTo(200);
            Iterator<String> lines = res.body().filter(l -> !l.isEmpty()).iterator();
            assertThat(lines.next()).as("the role chunk").contains("\"role\":\"assistant\"");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            List<String> rest = new java.util.ArrayList<>();
            lines.forEachRemaining(rest::add);
            assertThat(rest.getLast()).isEqualTo("data: [DONE]");
            assertThat(String.join("", rest)).contains("six");
            stopping.get();
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }
}
