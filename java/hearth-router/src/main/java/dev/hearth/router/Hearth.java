package dev.hearth.router;

import dev.hearth.api.Capabilities;
import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatResponse;
import dev.hearth.host.EngineLoader;
import dev.hearth.host.EstimateParams;
import dev.hearth.host.Estimator;
import dev.hearth.host.GpuProbe;
import dev.hearth.host.HostParams;
import dev.hearth.host.ModelHost;
import dev.hearth.host.ModelSpec;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.llama.engine.LlamaChatBackend;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Hearth in one object: every request is classified, routed by the configured strategy, run along its fallback chain
 * (credentials redacted before anything leaves the machine), and answered with the decision that was made. Local
 * models come from the model cache through the {@link ModelHost} (memory budget, keep-alive, eviction); remote clients
 * are built from the environment's keys and base URLs.
 */
public final class Hearth implements AutoCloseable {
    private final Router router;
    private final HealthTracker health;
    private final FallbackChain chain;
    private final Map<String, String> env;
    private final dev.hearth.remote.PriceTable prices = dev.hearth.remote.PriceTable.defaults();
    private final Map<String, ChatBackend> backends = new HashMap<>();
    private ModelHost host;

    private Hearth(Router router, Map<String, String> env, PrivacyGuard guard) {
        this.router = router;
        this.env = Map.copyOf(env);
        this.health = new HealthTracker(java.time.Clock.systemUTC());
        this.chain = new FallbackChain(this::backend, guard, health);
        router.watch(health);
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

    /** Measured time to first token and decode speed per model (declared until calls complete). */
    public Measurements measurements() {
        return chain.measurements();
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
        return stream(request, router.explain(request), sink);
    }

    /** Runs a decision already made by {@link #explain} (so a caller that shows it first does not decide twice). */
    public FallbackChain.Routed stream(ChatRequest request, RouteDecision decision, ChatSink sink)
            throws InterruptedException {
        return spend(chain.execute(request, decision, sink));
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
        if (p.provider().equals("onnx")) {
            return backends.computeIfAbsent("onnx:" + p.model(), k -> onnx(p));
        }
        String key = p.local() ? "local:" + p.model() : p.provider();
        return backends.computeIfAbsent(key, k -> p.local() ? local(p) : remote(p.provider()));
    }

    /**
     * An ONNX decoder model from a directory ({@code model} in hearth.toml: absolute, or under MODEL_CACHE_DIR), through
     * the model host like a GGUF model (memory budget, keep-alive, eviction, {@code hearth ps}). It answers plain text;
     * the router sends it nothing with tools or a schema.
     */
    private ChatBackend onnx(ModelProfile p) {
        Path dir = cacheDir().resolve(p.model());
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the ONNX model " + p.id() + " is not at " + dir + "; its hearth.toml model"
                    + " must name a directory with model.onnx and tokenizer.json");
        }
        ModelSpec spec = new ModelSpec(p.id(), dir, EstimateParams.cpu(p.contextWindow()));
        return new ChatBackend() {
            @Override
            public String name() {
                return "onnx:" + p.id();
            }

            @Override
            public Capabilities capabilities() {
                return new Capabilities(false, false, false, true, p.contextWindow());
            }

            @Override
            public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
                try (ModelHost.Lease lease = host().lease(spec, null)) {
                    return ((LocalLoaders.OnnxServed) lease.model()).backend().stream(request, sink);
                }
            }
        };
    }

    private Path cacheDir() {
        return dev.hearth.host.ModelStore.fromEnvironment(env).directory();
    }

    private ChatBackend remote(String provider) {
        String base = router.file().baseUrls().get(provider);
        if (base != null) { // a server from hearth.toml (vLLM, llama-server, Ollama, another Hearth): a key is optional
            String key = env.getOrDefault(provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY", "");
            return new OpenAiCompatibleClient(RemoteConfig.of(provider, java.net.URI.create(base), key));
        }
        RemoteConfig config = RemoteConfig.fromEnvironment(provider, env);
        return provider.equals("anthropic")
                ? new AnthropicClient(config, dev.hearth.remote.PromptCache.fromEnvironment(env))
                : new OpenAiCompatibleClient(config);
    }

    /**
     * A local model through the model host: each request leases it (loading it within the memory budget if it is
     * not loaded, evicting idle models if needed), and the host unloads it after its keep-alive.
     */
    private ChatBackend local(ModelProfile p) {
        Path cache = cacheDir();
        Path file = cache.resolve(p.model().endsWith(".gguf") ? p.model() : p.model() + ".gguf");
        if (!Files.exists(file)) {
            throw new IllegalStateException("the local model " + p.model() + " is not in " + cache + "; pull it (bin/hearth"
                    + " models pull " + p.model() + ") or set LOCAL_MODEL_NAME to one that is");
        }
        int context = Math.min(p.contextWindow(), 8192);
        ModelSpec spec = new ModelSpec(p.id(), file, EstimateParams.cpu(context).withParallel(Math.max(1, context / 2048)));
        return new ChatBackend() {
            @Override
            public String name() {
                return "local:" + p.model();
            }

            @Override
            public Capabilities capabilities() {
                return new Capabilities(true, true, false, true, context);
            }

            @Override
            public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
                try (ModelHost.Lease lease = host().lease(spec, null)) {
                    var served = (EngineLoader.Served) lease.model();
                    return new LlamaChatBackend(p.model(), served.engine()).stream(request, sink);
                }
            }
        };
    }

    /** The host of local models: RAM budget from HEARTH_RAM_BUDGET_GIB (default 75% of the JVM's view of RAM). */
    public synchronized ModelHost host() {
        if (host == null) {
            long ram = Runtime.getRuntime().maxMemory() > 0 ? physicalMemory() : 8L << 30;
            String budget = env.get("HEARTH_RAM_BUDGET_GIB");
            HostParams params = HostParams.defaults(ram);
            if (budget != null && !budget.isBlank()) {
                params = new HostParams(params.keepAlive(), (long) (Double.parseDouble(budget) * (1L << 30)),
                        params.gpuReserveBytes(), params.partialOffload(), params.pressureThreshold(),
                        params.queueCapacity());
            }
            var loader = LocalLoaders.loader(new EngineLoader(),
                    id -> java.util.Optional.ofNullable(router.file().chatFormats().get(id)),
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            host = new ModelHost(params, GpuProbe.detect(), loader, LocalLoaders.estimator(Estimator.gguf()),
                    java.time.Clock.systemUTC());
            host.onChange(dev.hearth.host.RunRegistry.fromEnvironment(env)::publish); // for `hearth ps`
        }
        return host;
    }

    private static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // fall through
        }
        return 8L << 30;
    }

    @Override
    public synchronized void close() {
        for (ChatBackend b : backends.values()) {
            if (b instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(Hearth.class).warn("closing {}: {}", b.name(), e.toString());
                }
            }
        }
        backends.clear();
        if (host != null) {
            try {
                host.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            host = null;
        }
    }
}
