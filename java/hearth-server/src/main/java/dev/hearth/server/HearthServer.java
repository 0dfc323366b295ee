package dev.hearth.server;

import dev.hearth.runtime.Hearth;
import dev.hearth.server.ollama.OllamaWire;
import dev.hearth.server.openai.BadRequest;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;

/**
 * {@code hearth serve}'s HTTP endpoint over one {@link Hearth}: OpenAI's {@code /v1/chat/completions} and
 * {@code /v1/models}, Anthropic's {@code /v1/messages}, on Helidon's web server (a virtual thread per request). Closing it stops accepting, lets answers
 * in flight finish up to the settings' drain timeout, then stops; the {@link Hearth} stays the caller's to close.
 * Thread-safe.
 */
public final class HearthServer implements AutoCloseable {
    private final WebServer server;
    private final ServerSettings settings;

    private HearthServer(WebServer server, ServerSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** Listens at once; a port in use fails here, saying which. */
    public static HearthServer start(Hearth hearth, ServerSettings settings) {
        ModelNames models = new ModelNames(hearth);
        ChatCompletionsRoute chat = new ChatCompletionsRoute(hearth, settings.maxBodyBytes());
        OllamaModelsRoute ollama = new OllamaModelsRoute(hearth, settings.maxBodyBytes());
        HttpRouting.Builder routing = HttpRouting.builder()
                .post("/v1/chat/completions", chat)
                .post("/v1/messages", new MessagesRoute(hearth, settings.maxBodyBytes()))
                .post("/v1/messages/count_tokens", new CountTokensRoute(hearth, settings.maxBodyBytes()))
                .post("/api/chat", new OllamaChatRoute(hearth, settings.maxBodyBytes(), OllamaWire.Kind.CHAT))
                .post("/api/generate", new OllamaChatRoute(hearth, settings.maxBodyBytes(), OllamaWire.Kind.GENERATE))
                .post("/api/embed", ollama::embed)
                .get("/api/tags", ollama::tags)
                .get("/api/ps", ollama::ps)
                .post("/api/show", ollama::show)
                .post("/api/pull", ollama::pull)
                .get("/api/version", ollama::version)
                .get("/v1/models", (req, res) -> Replies.json(res, 200, models.list()))
                .get("/health", (req, res) -> Replies.json(res, 200,
                        JsonBodies.MAPPER.createObjectNode().put("status", "ok")))
                .update(r -> new OrchestratorRoutes(hearth, settings.maxBodyBytes()).register(r))
                .update(DashboardRoute::register)
                .any((req, res) -> Replies.error(res, new BadRequest(404, null, "unknown_route", req.prologue()
                        .method().text() + " " + req.path().path() + " is not a route of this server; it serves"
                        + " POST /v1/chat/completions, POST /v1/messages, GET /v1/models and GET /health")));
        WebServer server;
        try {
            server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    // our own limit answers 413 in OpenAI's shape; Helidon's (a bare 413, checked before any route)
                    // is a backstop well above it
                    .maxPayloadSize(Math.max(settings.maxBodyBytes() * 4, 1L << 20))
                    .shutdownGracePeriod(settings.drainTimeout())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            throw cannotListen(settings, e.getMessage(), e);
        }
        if (!server.isRunning()) { // Helidon logs a listener that failed to bind and returns a stopped server
            throw cannotListen(settings, "the address is in use or cannot be bound", null);
        }
        return new HearthServer(server, settings);
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
        server.stop();
    }
}
