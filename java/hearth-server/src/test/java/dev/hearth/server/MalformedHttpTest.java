package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad requests written byte for byte on a raw socket: each is answered 4xx in the route's JSON shape, never a 500 or a
 * stack trace, and the server keeps serving. A client that trickles its headers is cut off by the read timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 64 * 1024;
    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    static Path dir;
    private Hearth hearth;
    private HearthServer server;

    @BeforeAll
    void start() {
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"));
        server = HearthServer.start(hearth, new ServerSettings("127.0.0.1", 0, LIMIT, Duration.ofSeconds(2))
                .withReadTimeout(Duration.ofSeconds(1)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    @AfterEach
    void stillServing() throws IOException {
        Reply health = exchange(("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(health.status()).isEqualTo(200);
    }

    private record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** Writes {@code request} and reads the whole answer (the request asks the server to close). */
    private Reply exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException refusedMidWrite) {
                // the server may answer and close before it has read everything (a body too large)
            }
            return parse(readAll(s.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the server closed after answering; what was read is the answer
        }
        return all.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        assertThat(split).as("an HTTP answer: %s", text).isPositive();
        String head = text.substring(0, split);
        String body = text.substring(split + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Reply(Integer.parseInt(head.split(" ")[1]), head, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    private static byte[] post(String path, String contentType, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return concat(head, body);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void openAiError(Reply r, int status) throws IOException {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.head().toLowerCase(Locale.ROOT)).contains("content-type: application/json");
        assertThat(r.json().at("/error/message").asText()).isNotBlank().doesNotContain("\tat ", "Exception:");
        assertThat(r.json().at("/error/type").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":-5}",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1e30}",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":99999999999999999999}",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":1e400}",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"no_such_field\":1}",
        "{\"model\":\"tiny\",\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]",
        "[1,2,3]",
        "{\"model\":\"tiny\",\"messages\":[]} trailing",
        "NaN"
    })
    void aBadJsonBodyIs400InOpenAisShape(String body) throws IOException {
        openAiError(exchange(post(CHAT, "application/json", body.getBytes(StandardCharsets.UTF_8))), 400);
    }

    @Test
    void deepNestingIsRefusedBeforeItIsBuilt() throws IOException {
        String deep = "{\"model\":\"tiny\",\"messages\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        openAiError(exchange(post(CHAT, "application/json", deep.getBytes(StandardCharsets.UTF_8))), 400);
        Reply anthropic = exchange(post("/v1/messages", "application/json", deep.getBytes(StandardCharsets.UTF_8)));
        assertThat(anthropic.status()).isEqualTo(400);
        assertThat(anthropic.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(anthropic.json().get("type").asText()).isEqualTo("error");
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        byte[] body = concat("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', ']', '}'});
        Reply r = exchange(post(CHAT, "application/json", body));
        openAiError(r, 400);
        assertThat(r.json().at("/error/message").asText()).contains("UTF-8");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws IOException {
        openAiError(exchange(post(CHAT, "text/plain", "hello".getBytes(StandardCharsets.US_ASCII))), 415);
        openAiError(exchange(post(CHAT, "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.US_ASCII))),
                415);
    }

    @Test
    void aBodyOverTheLimitIs413InTheRoutesShape() throws IOException {
        byte[] big = ("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(LIMIT) + "\"}]}")
                .getBytes(StandardCharsets.US_ASCII);
        openAiError(exchange(post(CHAT, "application/json", big)), 413);
        Reply anthropic = exchange(post("/v1/messages", "application/json", big));
        assertThat(anthropic.status()).isEqualTo(413);
        assertThat(anthropic.json().at("/error/type").asText()).isEqualTo("request_too_large");
    }

    @Test
    void aBodyFarOverTheLimitIsRefusedByTheTransportInJson() throws IOException {
        // past Helidon's own backstop: it refuses from the content-length alone, before any route runs
        byte[] head = ("POST " + CHAT + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + (100L << 20) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
        Reply r = exchange(head);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
    }

    @Test
    void aTruncatedBodyIsA4xx() throws IOException {
        byte[] head = ("POST " + CHAT + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json"
                + "\r\nContent-Length: 500\r\n\r\n{\"model\":\"tiny\",\"mess").getBytes(StandardCharsets.US_ASCII);
        Reply r = exchange(head);
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
    }

    @Test
    void hugeHeadersAreRefusedInJson() throws IOException {
        byte[] req = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + "a".repeat(128 * 1024)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Reply r = exchange(req);
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0001b\r\n\r\n",
        "GET /v1/mo dels HTTP/1.1\r\nHost: x\r\n\r\n"})
    void aMalformedRequestIsRefusedInJson(String request) throws IOException {
        Reply r = exchange(request.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
    }

    @Test
    void bytesThatAreNotHttpAreAnswered4xxOrDropped() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("BLAH\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
            assertThat(answer).doesNotContain("\tat ");
        }
    }

    @ParameterizedTest(name = "trickling after \"{0}\"")
    @ValueSource(strings = {"", "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"})
    void aClientThatTricklesItsRequestIsCutOff(String sentAtOnce) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write(sentAtOnce.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] trickle = (sentAtOnce.isEmpty() ? "POST /v1/chat/completions HTTP/1.1" : "X-Slow: "
                    + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // generous: the read timeout is 1 s
            for (int i = 0; i < trickle.length && !closed && System.nanoTime() < giveUp; i++) {
                try {
                    out.write(trickle[i]); // one byte, then more than the read timeout of silence
                    out.flush();
                    closed = s.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing yet: send the next byte
                } catch (IOException cut) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed a connection that sent one byte a second").isTrue();
        }
    }
}
