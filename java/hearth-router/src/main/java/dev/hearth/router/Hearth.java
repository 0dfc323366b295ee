package dev.hearth.router;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.llama.EngineParams;
import dev.hearth.llama.LlamaChatBackend;
import dev.hearth.llama.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hearth in one object: every request is classified, routed by the configured strategy, run along its fallback chain
 * (credentials redacted before anything leaves the machine), and answered with the decision that was made. Local
 * models load on first use from the model cache; remote clients are built from the environment's keys and base URLs.
 */
public final class Hearth implements AutoCloseable {
    private final Router router;
    private final HealthTracker health;
    private final FallbackChain chain;
    private final Map<String, String> env;
    private final dev.hearth.remote.PriceTable prices = dev.hearth.remote.PriceTable.defaults();
    private final Map<String, ChatBackend> backends = new HashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    private Hearth(Router router, Map<String, String> env, PrivacyGuard guard) {
        this.router = router;
        this.env = Map.copyOf(env);
        this.health = new HealthTracker(java.time.Clock.systemUTC());
        this.chain = new FallbackChain(this::backend, guard, health);
    }

    /** Configured by the process environment (LLM_STRATEGY, keys, LOCAL_MODEL_NAME, MODEL_CACHE_DIR, ...). */
    public static Hearth fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From {@code HEARTH_CONFIG} (a hearth.toml; none if unset) and the environment, which wins over the file. A
     * configuration that names an unknown model or strategy fails here, with its line and the valid choices.
     */
    public static Hearth fromEnvironment(Map<String, String> env) {
        String file = env.get("HEARTH_CONFIG");
        if (file != null && !file.isBlank()) {
            try {
                Router router = Router.fromConfig(Path.of(file), env);
                return new Hearth(router, router.file().environment(env), guard(router.file().environment(env)));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new Hearth(Router.fromEnvironment(env), env, guard(env));
    }

    private static PrivacyGuard guard(Map<String, String> env) {
        String privacy = env.getOrDefault("HEARTH_PRIVACY", "redact").toUpperCase(java.util.Locale.ROOT);
        try {
            return new PrivacyGuard(PrivacyGuard.Policy.valueOf(privacy));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HEARTH_PRIVACY must be redact, refuse or allow, not " + privacy);
        }
    }

    public Router router() {
        return router;
    }

    /** Each model's circuit state and failure rates. */
    public HealthTracker health() {
        return health;
    }

    /** The decision for a request, without running it. */
    public RouteDecision explain(ChatRequest request) {
        return router.explain(request);
    }

    public FallbackChain.Routed chat(ChatRequest request) throws InterruptedException {
        return spend(chain.execute(request, router.explain(request), null));
    }

    public FallbackChain.Routed stream(ChatRequest request, ChatSink sink) throws InterruptedException {
        return spend(chain.execute(request, router.explain(request), sink));
    }

    /** What a remote answer cost goes against the month's budget (priced by the price table, as billed). */
    private FallbackChain.Routed spend(FallbackChain.Routed r) {
        if (!r.answeredBy().local()) {
            prices.cost(r.answeredBy().provider(), r.answeredBy().model(), r.response().usage(), java.time.Instant.now())
                    .ifPresent(c -> router.config().budget().record(c.doubleValue()));
        }
        return r;
    }

    private synchronized ChatBackend backend(ModelProfile p) {
        String key = p.local() ? "local:" + p.model() : p.provider();
        return backends.computeIfAbsent(key, k -> p.local() ? local(p) : remote(p.provider()));
    }

    private ChatBackend remote(String provider) {
        String base = router.file().baseUrls().get(provider);
        if (base != null) { // a server from hearth.toml (vLLM, llama-server, Ollama, another Hearth): a key is optional
            String key = env.getOrDefault(provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY", "");
            return new OpenAiCompatibleClient(RemoteConfig.of(provider, java.net.URI.create(base), key));
        }
        RemoteConfig config = RemoteConfig.fromEnvironment(provider, env);
        return provider.equals("anthropic") ? new AnthropicClient(config) : new OpenAiCompatibleClient(config);
    }

    private ChatBackend local(ModelProfile p) {
        String dir = env.get("MODEL_CACHE_DIR");
        Path cache = dir != null && !dir.isBlank() ? Path.of(dir) : Natives.hearthHome().resolve("models");
        Path file = cache.resolve(p.model().endsWith(".gguf") ? p.model() : p.model() + ".gguf");
        if (!Files.exists(file)) {
            throw new IllegalStateException("the local model " + p.model() + " is not in " + cache + "; pull it (bin/hearth"
                    + " models pull " + p.model() + ") or set LOCAL_MODEL_NAME to one that is");
        }
        LlamaModel model = LlamaModel.load(file, ModelParams.defaults());
        LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withContextSize(
                Math.min(model.nCtxTrain(), 8192)));
        owned.add(engine);
        owned.add(model);
        return new LlamaChatBackend(p.model(), engine);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : owned) { // engines before their models, in the order they were added
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        owned.clear();
        backends.clear();
    }
}
