package dev.hearth.remote;

import static dev.hearth.remote.Fixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.api.ChatSink;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The API key appears in no log line, exception message, stack trace or configuration string. */
class SecretsTest {
    @Test
    void theApiKeyNeverAppearsInLogsOrExceptions() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.TRACE); // everything, including the JDK HttpClient's and our own debug lines
        List<Throwable> errors = new ArrayList<>();
        Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
        try (FakeAnthropicServer anthropic = new FakeAnthropicServer("another-key");
             FakeOpenAiServer deepseek = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            // a key the server refuses
            errors.add(catching(() -> new AnthropicClient(Fixtures.config("anthropic", anthropic.baseUri(), sleeper))
                    .chat(Fixtures.request("claude-sonnet-4-6"))));
            deepseek.enqueue(FakeReply.failing(Fault.rateLimited("retry-after", "1")),
                    FakeReply.failing(Fault.status(500, "api_error", "boom")),
                    FakeReply.failing(Fault.status(500, "api_error", "boom")),
                    FakeReply.text("a b c d e f").withFault(new Fault.StallAfter(4)),
                    FakeReply.text("a b c d e f").withFault(new Fault.ResetAfter(4)));
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(Fixtures.config("deepseek", deepseek.baseUri(), sleeper)
                    .withTimeouts(Timeouts.defaults().withIdle(Duration.ofMillis(1000))));
            errors.add(catching(() -> client.chat(Fixtures.request("deepseek-flash"))));
            errors.add(catching(() -> client.stream(Fixtures.request("deepseek-flash"), ChatSink.discard())));
            errors.add(catching(() -> client.stream(Fixtures.request("deepseek-flash"), ChatSink.discard())));
            assertThat(deepseek.lastRequest().headers().get("authorization")).contains(KEY); // it was sent, and used
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
        assertThat(errors).hasSize(4).doesNotContainNull();
        for (Throwable t : errors) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(KEY);
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(KEY);
        }
        assertThat(Fixtures.config("deepseek", java.net.URI.create("http://127.0.0.1:9"), sleeper).toString())
                .doesNotContain(KEY).contains("set, " + KEY.length() + " chars");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Throwable catching(Call call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
