package dev.hearth.cli;

import dev.hearth.redis.RateLimits;
import dev.hearth.router.ModelProfile;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.HearthServer;
import dev.hearth.server.ServerSettings;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * hearth serve: one Hearth (one model host, one ledger) behind an OpenAI-compatible HTTP endpoint, until SIGTERM or
 * Ctrl-C, which stop accepting, let answers in flight finish up to the drain timeout, and close the Hearth.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the models over HTTP in OpenAI's, Anthropic's and Ollama's wire formats (/v1/chat/completions,"
                + " /v1/responses, /v1/embeddings, /v1/models, /v1/messages, /api/chat, ...), with /health, /ready and"
                + " /metrics.",
                "Every request goes through the router's guards and into the ledger, as from the CLI.",
                "Listens on HEARTH_HOST:HEARTH_PORT (or host and port in hearth.toml), by default "
                        + ServerSettings.DEFAULT_HOST + ":" + ServerSettings.DEFAULT_PORT + "."})
final class ServeCommand implements Callable<Integer>, TakesEnvironment {
    @Option(names = "--host", description = "address to listen on (default: HEARTH_HOST, else "
            + ServerSettings.DEFAULT_HOST + ")")
    String host;

    @Option(names = "--port", description = "port to listen on (default: HEARTH_PORT, else "
            + ServerSettings.DEFAULT_PORT + ")")
    Integer port;

    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The settings from hearth.toml ({@code host}, {@code port}, {@code cors_origins}), the environment over them, then
     * the options. An address that is not loopback is refused by the server itself while the ledger holds no API key.
     */
    ServerSettings settings() {
        ServerSettings s = ServerSettings.fromEnvironment(withFile(env));
        if (host != null) {
            s = s.withHost(host.strip());
        }
        if (port != null) {
            s = s.withPort(port);
        }
        return s;
    }

    /** {@code env} with the settings of the HEARTH_CONFIG file under it (the environment wins). */
    static Map<String, String> withFile(Map<String, String> env) {
        String file = env.get("HEARTH_CONFIG");
        if (file == null || file.isBlank()) {
            return env;
        }
        try {
            return dev.hearth.router.HearthConfig.load(java.nio.file.Path.of(file)).environment(env);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = settings(); // options first: nothing is loaded for a mistyped one
        RateLimits limits = RateLimits.fromEnvironment(withFile(env)); // HEARTH_REDIS_URL: shared by every instance
        Hearth hearth;
        try {
            hearth = Hearth.fromEnvironment(env);
        } catch (RuntimeException e) {
            limits.close();
            throw e;
        }
        HearthServer server;
        try {
            server = HearthServer.start(hearth, settings, limits);
        } catch (RuntimeException e) {
            hearth.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hearth-serve-stop").unstarted(() -> {
            System.err.println("hearth: stopping: finishing answers in flight (up to "
                    + settings.drainTimeout().toSeconds() + " s)");
            try {
                server.close();
            } finally {
                hearth.close();
                stopped.countDown();
            }
        }));
        System.out.println("hearth: serving " + server.baseUri() + " (OpenAI and Anthropic clients use this base URL;"
                + " Ollama clients use " + server.baseUri().resolve("/") + ")");
        System.out.println("hearth: strategy " + hearth.router().config().strategy() + "; models: auto"
                + hearth.router().registry().all().stream().map(ServeCommand::describe)
                        .reduce("", (a, b) -> a + ", " + b));
        boolean keys = !hearth.ledger().keys().list().isEmpty();
        System.out.println("hearth: " + (keys ? "API keys are required (Authorization: Bearer KEY or x-api-key)"
                : "no API key is required (loopback only; bin/hearth keys create NAME makes one, and then every"
                        + " client needs one)") + "; stop with Ctrl-C or SIGTERM");
        System.out.println("hearth: per-key rate limits kept in " + limits.describe());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static String describe(ModelProfile p) {
        return p.id() + (p.local() ? " (local)" : " (" + p.provider() + ")");
    }
}
