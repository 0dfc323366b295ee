package dev.hearth.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ProviderException;
import dev.hearth.api.Secrets;
import dev.hearth.api.TokenEstimates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a remote client that does not depend on the wire format: the HTTP exchange and its deadlines,
 * streaming, the mapping of failures to typed errors, and retries (only before the first token, only for retryable
 * errors, with backoff and jitter, honouring the server's wait). Subclasses translate requests and answers.
 */
public abstract sealed class RemoteClient implements ChatBackend permits AnthropicClient, OpenAiCompatibleClient {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteClient.class);
    protected static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    protected final RemoteConfig config;
    private final HttpClient http;

    RemoteClient(RemoteConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeouts().connect())
                .version(httpVersion(config)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * HTTP/2 over TLS, where ALPN settles it in the handshake. Plain {@code http://} (a loopback inference server, a
     * proxy, a fake) speaks HTTP/1.1: asking such a server to upgrade to h2c costs every new connection a refused
     * upgrade and buys nothing, since none of them speaks h2c.
     */
    private static HttpClient.Version httpVersion(RemoteConfig config) {
        return "https".equalsIgnoreCase(config.baseUri().getScheme()) ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1;
    }

    @Override
    public String name() {
        return config.provider();
    }

    /** The HTTP request for a chat request (streamed or not), with the vendor's headers. */
    abstract HttpRequest httpRequest(ChatRequest request, boolean stream);

    /** Reads a non-streamed answer. */
    abstract ChatResponse parse(String body) throws IOException;

    /** Handles one streamed event; returns true at the stream's end event. */
    abstract boolean onEvent(SseEvent event, Accumulator acc) throws IOException;

    @Override
    public ChatResponse chat(ChatRequest request) throws InterruptedException {
        HttpRequest req = built(request, false);
        return withRetries(() -> chatOnce(req));
    }

    @Override
    public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
        java.util.Objects.requireNonNull(sink, "sink");
        HttpRequest req = built(request, true);
        long inputEstimate = TokenEstimates.ofRequest(request);
        return withRetries(() -> streamOnce(req, sink, inputEstimate));
    }

    /**
     * The HTTP request; a refusal of the HTTP library that quotes a header value (the key) is passed on without it and
     * without the library's exception, whose message has it.
     */
    private HttpRequest built(ChatRequest request, boolean stream) {
        try {
            return httpRequest(request, stream);
        } catch (IllegalArgumentException e) {
            String redacted = Secrets.redact(e.getMessage());
            if (java.util.Objects.equals(redacted, e.getMessage())) {
                throw e;
            }
            throw new IllegalArgumentException(config.provider() + ": " + redacted);
        }
    }

    private ChatResponse chatOnce(HttpRequest req) throws InterruptedException {
        try (HttpCall call = HttpCall.open(http, req, config.timeouts(), config.provider(), false)) {
            try {
                String body = call.bodyText();
                if (call.status() / 100 != 2) {
                    throw ErrorMapper.map(config.provider(), call.status(), call.headers(), body, config.clock());
                }
                try {
                    return parse(body);
                } catch (IOException | RuntimeException e) {
                    throw new ProviderException.ServerError(config.provider(), call.status(),
                            "the answer is not " + config.provider() + "'s wire format: " + HttpCall.describe(e), e);
                }
            } catch (IOException e) {
                throw failure(call, e, null);
            }
        }
    }

    private ChatResponse streamOnce(HttpRequest req, ChatSink sink, long inputEstimate) throws InterruptedException {
        try (HttpCall call = HttpCall.open(http, req, config.timeouts(), config.provider(), true)) {
            Accumulator acc = new Accumulator(sink, call::flowing);
            try {
                if (call.status() / 100 != 2) {
                    throw ErrorMapper.map(config.provider(), call.status(), call.headers(), call.bodyText(),
                            config.clock());
                }
                String type = call.headers().firstValue("content-type").orElse("").toLowerCase(java.util.Locale.ROOT);
                if (type.contains("html")) { // a proxy's or captive portal's page, not the vendor's API
                    throw new ProviderException.ServerError(config.provider(), call.status(), config.provider()
                            + " answered with a web page (" + type + "), not its API's event stream: check "
                            + config.provider().toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                            + "_BASE_URL and any proxy between", null);
                }
                SseReader events = new SseReader(call);
                for (SseEvent e = events.next(); e != null; e = events.next()) {
                    if (onEvent(e, acc)) {
                        acc.allToolCallsDone();
                        return acc.build();
                    }
                }
                if (acc.started()) {
                    throw new ProviderException.StreamBroken(config.provider(),
                            "the stream ended before its end event; the partial answer is kept", acc.build(), null);
                }
                throw new ProviderException.ServerError(config.provider(), call.status(),
                        "the stream ended before any answer", null);
            } catch (CallCancelledException e) { // the caller left: recorded with what the stream had used
                throw e.withUsedSoFar(acc.usedSoFar(inputEstimate));
            } catch (ProviderException e) {
                if (acc.started() && !(e instanceof ProviderException.StreamBroken)
                        && !(e instanceof ProviderException.TimedOut)) {
                    throw new ProviderException.StreamBroken(config.provider(), "the stream failed after output: "
                            + e.getMessage(), acc.build(), e);
                }
                throw e;
            } catch (JsonProcessingException e) {
                if (call.fired() == null) {
                    ChatResponse partial = acc.partialOrNull();
                    String what = "an event in the stream is not " + config.provider() + "'s wire format ("
                            + e.getOriginalMessage() + ")";
                    throw partial != null ? new ProviderException.StreamBroken(config.provider(), what, partial, e)
                            : new ProviderException.ServerError(config.provider(), call.status(), what, e);
                }
                throw failure(call, e, acc.partialOrNull());
            } catch (IOException e) {
                throw failure(call, e, acc.partialOrNull());
            }
        }
    }

    /** A broken read: a passed deadline, the caller's interrupt, or a broken connection. */
    private ProviderException failure(HttpCall call, IOException e, ChatResponse partial) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("the call to " + config.provider() + " was cancelled");
        }
        if (call.fired() != null) {
            return call.timedOut(partial);
        }
        if (partial != null) {
            return new ProviderException.StreamBroken(config.provider(), "the connection broke mid-stream ("
                    + HttpCall.describe(e) + "); the partial answer is kept", partial, e);
        }
        return new ProviderException.ConnectionFailed(config.provider(), "the connection broke before an answer: "
                + HttpCall.describe(e), e);
    }

    @FunctionalInterface
    private interface Attempt {
        ChatResponse run() throws InterruptedException;
    }

    private ChatResponse withRetries(Attempt attempt) throws InterruptedException {
        RetryPolicy policy = config.retry();
        for (int retry = 1; ; retry++) {
            try {
                return attempt.run();
            } catch (ProviderException e) {
                if (!e.retryable() || retry > policy.maxRetries() || e.partial() != null) {
                    throw e;
                }
                Duration asked = e.retryAfter();
                if (asked != null && asked.compareTo(policy.maxServerWait()) > 0) {
                    throw e; // longer than we will sit out: the router may go elsewhere
                }
                Duration wait = asked != null ? asked : policy.backoff(retry, config.random().nextDouble());
                LOG.info("{}: {}; retry {} of {} in {} ms", config.provider(), e.getClass().getSimpleName(), retry,
                        policy.maxRetries(), wait.toMillis());
                config.sleeper().sleep(wait);
            }
        }
    }

    /** A JSON body for a request. */
    protected static HttpRequest.BodyPublisher jsonBody(Object wire) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(wire));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    protected Duration requestTimeout() {
        return config.timeouts().total();
    }
}
