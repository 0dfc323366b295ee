package dev.hearth.server;

import dev.hearth.runtime.Hearth;
import dev.hearth.server.ollama.OllamaWire;
import dev.hearth.redis.RateLimits;
import dev.hearth.server.openai.BadRequest;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * {@code hearth serve}'s HTTP endpoint over one {@link Hearth}, on Helidon's web server (a virtual thread per request):
 * OpenAI's chat completions, Responses, embeddings and models; Anthropic's messages and token counts; Ollama's API;
 * {@code /health}, {@code /ready} and {@code /metrics}. Every route translates at the edge and answers through the
 * runtime's front door, behind the same filters, registered once here: metrics, CORS, then the {@link Gate} (API keys
 * and rate limits). Closing it stops accepting, lets answers in flight finish up to the settings' drain timeout, then
 * stops; the {@link Hearth} stays the caller's to close. Thread-safe.
 */
public final class HearthServer implements AutoCloseable {
    private final WebServer server;
    private final ServerSettings settings;
    private final HeaderDeadline headerDeadline;
    private final RateLimits limits;

    private HearthServer(WebServer server, ServerSettings settings, HeaderDeadline headerDeadline, RateLimits limits) {
        this.server = server;
        this.settings = settings;
        this.headerDeadline = headerDeadline;
        this.limits = limits;
    }

    /**
     * Listens at once; a port in use fails here, saying which, and so does an address other than loopback while the
     * ledger holds no API key (anyone who reaches it could spend the budgets).
     */
    public static HearthServer start(Hearth hearth, ServerSettings settings) {
        return start(hearth, settings, RateLimits.inProcess(System::nanoTime));
    }

    /**
     * As {@link #start(Hearth, ServerSettings)}, with the keys' rate limits kept by {@code limits} (shared through
     * Redis by several instances: {@link RateLimits#fromEnvironment}), which the server closes when it closes.
     */
    public static HearthServer start(Hearth hearth, ServerSettings settings, RateLimits limits) {
        try {
            return listen(hearth, settings, limits);
        } catch (RuntimeException e) {
            limits.close();
            throw e;
        }
    }

    private static HearthServer listen(Hearth hearth, ServerSettings settings, RateLimits limits) {
        KeyRing keys = new KeyRing(() -> hearth.ledger().keys(), KeyRing.TTL, System::nanoTime);
        if (!loopback(settings.host()) && !keys.required()) {
            throw new IllegalStateException("refusing to listen on " + settings.host() + " with no API key: anyone"
                    + " who can reach it could use its models and spend its budgets; create a key first (bin/hearth"
                    + " keys create NAME) and give it to clients, or listen on " + ServerSettings.DEFAULT_HOST);
        }
        ServerMetrics metrics = new ServerMetrics(hearth);
        ServedCalls calls = new ServedCalls(hearth, limits, metrics);
        ModelNames models = new ModelNames(hearth);
        Readiness readiness = new Readiness(hearth);
        OllamaModelsRoute ollama = new OllamaModelsRoute(hearth, calls, settings.maxBodyBytes());
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(metrics)
                .addFilter(new Cors(settings.corsOrigins()))
                .addFilter(new Gate(keys, limits))
                .post("/v1/chat/completions", new ChatCompletionsRoute(hearth, calls, settings))
                .post("/v1/messages", new MessagesRoute(hearth, calls, settings))
                .post("/v1/messages/count_tokens", new CountTokensRoute(hearth, settings.maxBodyBytes()))
                .post("/api/chat", new OllamaChatRoute(hearth, calls, settings.maxBodyBytes(),
                        OllamaWire.Kind.CHAT))
                .post("/api/generate", new OllamaChatRoute(hearth, calls, settings.maxBodyBytes(),
                        OllamaWire.Kind.GENERATE))
                .post("/api/embed", ollama::embed)
                .get("/api/tags", ollama::tags)
                .get("/api/ps", ollama::ps)
                .post("/api/show", ollama::show)
                .post("/api/pull", ollama::pull)
                .get("/api/version", ollama::version)
                .post("/v1/responses", new ResponsesRoute(calls, models, settings))
                .update(r -> new AdminRoutes(hearth, keys, ollama, settings.maxBodyBytes()).register(r))
                .get("/v1/models", (req, res) -> Replies.json(res, 200, models.list()))
                .get("/v1/models/{+id}", (req, res) -> Replies.json(res, () -> models.one(req.path().pathParameters()
                        .get("id"))))
                .post("/v1/embeddings", new EmbeddingsRoute(models, calls, settings.maxBodyBytes()))
                .get("/health", (req, res) -> Replies.json(res, 200,
                        JsonBodies.MAPPER.createObjectNode().put("status", "ok")))
                .get("/ready", (req, res) -> {
                    Readiness.Verdict v = readiness.check();
                    Replies.json(res, v.status(), v.body());
                })
                .get("/metrics", (req, res) -> {
                    res.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                })
                .error(Throwable.class, (req, res, e) -> Replies.error(res, e, Wire.of(req.path().path())))
                .update(r -> new OrchestratorRoutes(hearth, settings.maxBodyBytes()).register(r))
                .update(DashboardRoute::register)
                .any((req, res) -> Replies.error(res, new BadRequest(404, null, "unknown_route", req.prologue()
                        .method().text() + " " + req.path().path() + " is not a route of this server; it serves"
                        + " OpenAI's /v1/chat/completions, /v1/responses, /v1/embeddings and /v1/models, Anthropic's"
                        + " /v1/messages and /v1/messages/count_tokens, Ollama's /api/chat, /api/generate, /api/embed,"
                        + " /api/tags, /api/ps, /api/show, /api/pull and /api/version, and /health, /ready and"
                        + " /metrics"), Wire.of(req.path().path())));
        WebServer server;
        HeaderDeadline headerDeadline = new HeaderDeadline(settings.readTimeout());
        try {
            server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    // our own limit answers 413 in the route's shape; Helidon's (checked before any route, answered
                    // by TransportErrors) is a backstop well above it
                    .maxPayloadSize(Math.max(settings.maxBodyBytes() * 4, 1L << 20))
                    // a connection that sends nothing, or only trickles a request line, for longer than the read
                    // timeout is closed by Helidon's idle check (the socket's own read timeout is not applied to
                    // server connections); one answering a long stream is closed only once its answer is done
                    // each SSE event is a small write: without TCP_NODELAY, Nagle holds it until the client's delayed
                    // ACK (40 ms on Linux)
                    .connectionOptions(o -> o.readTimeout(settings.readTimeout()).tcpNoDelay(true))
                    .connectionConfig(c -> c.tcpNoDelay(true))
                    .idleConnectionTimeout(settings.readTimeout())
                    .addProtocol(Http1Config.builder().addReceiveListener(headerDeadline).build())
                    .idleConnectionPeriod(settings.readTimeout().compareTo(java.time.Duration.ofSeconds(5)) < 0
                            ? settings.readTimeout() : java.time.Duration.ofSeconds(5))
                    .directHandlers(TransportErrors.handlers())
                    .shutdownGracePeriod(settings.drainTimeout())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            headerDeadline.close();
            throw cannotListen(settings, e.getMessage(), e);
        }
        if (!server.isRunning()) { // Helidon logs a listener that failed to bind and returns a stopped server
            headerDeadline.close();
            throw cannotListen(settings, "the address is in use or cannot be bound", null);
        }
        return new HearthServer(server, settings, headerDeadline, limits);
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false; // cannot tell: treat it as reachable from elsewhere
        }
    }

    private static IllegalStateException cannotListen(ServerSettings s, String why, Throwable cause) {
        return new IllegalStateException("cannot listen on " + s.host() + ":" + s.port() + " (" + why
                + "); choose another --port or stop what holds it", cause);
    }

    public int port() {
        return server.port();
    }

    /** The base URL clients use ({@code http://host:port/v1}). */
    public URI baseUri() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/v1");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            headerDeadline.close();
            limits.close();
        }
    }
}
