package dev.hearth.remote;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatSink;
import dev.hearth.api.ProviderException;
import dev.hearth.testkit.http.LoopbackHttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A vendor that cannot be reached, or a proxy that answers with a web page, is described in words a person can act on
 * (issue 15): where, and which setting to check; never a bare "ConnectException" or "the stream ended".
 */
class UnreachableTest {
    @Test
    void nothingListeningNamesTheAddressAndTheSetting() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        var client = new OpenAiCompatibleClient(Fixtures.config("deepseek", URI.create("http://127.0.0.1:" + port),
                new Fixtures.RecordingSleeper()).withRetry(RetryPolicy.none()));
        assertThatThrownBy(() -> client.stream(Fixtures.request("deepseek-flash"), ChatSink.discard()))
                .isInstanceOf(ProviderException.ConnectionFailed.class)
                .hasMessageContaining("could not connect to 127.0.0.1:" + port)
                .hasMessageContaining("DEEPSEEK_BASE_URL").hasMessageNotContaining("ConnectException");
    }

    @Test
    void aWebPageInsteadOfTheApiSaysSo() throws Exception {
        try (var portal = new LoopbackHttpServer(exchange -> exchange.respond(200, Map.of("content-type",
                "text/html; charset=utf-8"), "<html><body>Please sign in to the hotel Wi-Fi</body></html>"))) {
            var client = new OpenAiCompatibleClient(Fixtures.config("deepseek", portal.uri(),
                    new Fixtures.RecordingSleeper()).withRetry(RetryPolicy.none()));
            assertThatThrownBy(() -> client.stream(Fixtures.request("deepseek-flash"), ChatSink.discard()))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("answered with a web page (text/html")
                    .hasMessageContaining("DEEPSEEK_BASE_URL").hasMessageNotContaining("stream ended");
        }
    }
}
