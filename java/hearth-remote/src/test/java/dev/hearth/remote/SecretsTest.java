package dev.hearth.remote;

import static dev.hearth.remote.Fixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
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

/**
 * The API key appears in no log event (its message, arguments, MDC, or any attached throwable, its causes and what it
 * suppressed), exception message, stack trace or configuration string.
 */
class SecretsTest {
    @Test
    void theApiKeyNeverAppearsInLogsOrExceptions() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        // everything Hearth and its libraries log through SLF4J, debug lines included (the JDK HttpClient logs through
        // System.Logger, which is not bridged to SLF4J: its lines never reach this appender)
        root.setLevel(Level.TRACE);
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
            assertThat(rendered(e)).doesNotContain(KEY);
        }
        assertThat(Fixtures.config("deepseek", java.net.URI.create("http://127.0.0.1:9"), sleeper).toString())
                .doesNotContain(KEY).contains("set, " + KEY.length() + " chars");
    }

    @Test
    void aKeyTheVendorEchoesInAnErrorIsRedactedFromTheExceptionAndItsTrace() throws Exception {
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            deepseek.enqueue(FakeReply.failing(Fault.status(401, "authentication_error", "invalid key: " + KEY)),
                    FakeReply.failing(Fault.status(400, "invalid_request_error", "bad request from " + KEY)));
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(Fixtures.config("deepseek", deepseek.baseUri(),
                    new Fixtures.RecordingSleeper()));
            for (int i = 0; i < 2; i++) {
                Throwable t = catching(() -> client.chat(Fixtures.request("deepseek-flash")));
                assertThat(t).isInstanceOf(dev.hearth.api.ProviderException.class);
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(KEY).contains("[REDACTED API key]");
            }
        }
    }

    @Test
    void theScanSeesAKeyAnywhereInAnEventItsThrowablesTheirCausesAndWhatTheySuppressed() {
        Logger logger = (Logger) LoggerFactory.getLogger(SecretsTest.class);
        IllegalStateException withCause = new IllegalStateException("outer", new RuntimeException("key " + KEY));
        IllegalStateException withSuppressed = new IllegalStateException("outer");
        withSuppressed.addSuppressed(new RuntimeException("closing with " + KEY));
        IllegalStateException deepInCause = new IllegalStateException("outer", new RuntimeException("middle",
                withSuppressed));
        List<ILoggingEvent> leaking = List.of(
                new LoggingEvent("x", logger, Level.WARN, "sent {}", null, new Object[] {KEY}),
                new LoggingEvent("x", logger, Level.WARN, "failed", new IllegalStateException("bad key " + KEY), null),
                new LoggingEvent("x", logger, Level.WARN, "failed", withCause, null),
                new LoggingEvent("x", logger, Level.WARN, "failed", withSuppressed, null),
                new LoggingEvent("x", logger, Level.WARN, "failed", deepInCause, null),
                new LoggingEvent("x", logger, Level.WARN, "an argument the message does not use", null,
                        new Object[] {KEY}));
        for (ILoggingEvent e : leaking) {
            assertThat(rendered(e)).as(e.getMessage()).contains(KEY);
        }
        assertThat(rendered(new LoggingEvent("x", logger, Level.WARN, "failed", new IllegalStateException("outer",
                new RuntimeException("no secret here")), null))).doesNotContain(KEY).contains("no secret here");
    }

    /**
     * Everything a log event can carry to an appender: the formatted message, every argument (also those the message
     * does not use), the MDC, key-value pairs and markers, and each attached throwable as a stack trace with its
     * message, causes and suppressed exceptions.
     */
    static String rendered(ILoggingEvent e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getFormattedMessage())).append('\n');
        if (e.getArgumentArray() != null) {
            for (Object a : e.getArgumentArray()) {
                out.append(a).append('\n');
            }
        }
        out.append(e.getMDCPropertyMap()).append('\n');
        if (e.getKeyValuePairs() != null) {
            e.getKeyValuePairs().forEach(kv -> out.append(kv.key).append('=').append(kv.value).append('\n'));
        }
        if (e.getMarkerList() != null) {
            e.getMarkerList().forEach(m -> out.append(m).append('\n'));
        }
        if (e.getThrowableProxy() != null) {
            out.append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
        return out.toString();
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
