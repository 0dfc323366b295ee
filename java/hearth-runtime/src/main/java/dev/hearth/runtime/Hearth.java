package dev.hearth.runtime;

import dev.hearth.api.Capabilities;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.HealthTracker;
import dev.hearth.router.Measurements;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PrivacyGuard;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.Router;
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
 * Hearth in one object, and the one way in for every face: whatever model a caller names ({@link #use}) or none, each
 * request is routed (a named model is the user's choice, which the router honours), guarded (credentials redacted or
 * refused per HEARTH_PRIVACY before anything leaves the machine, the monthly budget, circuit health), run along its
 * fallback chain, and answered with the decision that was made. Every local model, configured or named by its path,
 * is leased from the one {@link ModelHost} (memory budget, keep-alive, eviction, {@code hearth ps}); remote clients
 * are built from the environment's keys and base URLs.
 */
public final class Hearth implements AutoCloseable {
    private final Router router;
    private final HealthTracker health;
    private final FallbackChain chain;
    private final Map<String, String> env;
    private final dev.hearth.remote.PriceTable prices = dev.hearth.remote.PriceTable.defaults();
    private final Map<String, ChatBackend> backends = new HashMap<>();
    private final Map<String, LocalOptions> tuned = new java.util.concurrent.ConcurrentHashMap<>();
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

    /**
     * Resolves what a user named (see {@link ModelSpecs}) and returns the name to put in a request's {@code model}:
     * {@code auto} or an agent for the router to decide, else a model the router will honour as the user's choice,
     * still behind every guard. A GGUF file, a cache name, {@code PROVIDER:MODEL} or {@code onnx:DIR} becomes a
     * profile of its own; a local one runs with {@code options}.
     */
    public String use(String spec, LocalOptions options) {
        ModelSpecs.Resolved resolved = specs().resolve(spec, options.contextSize() > 0 ? options.contextSize()
                : LocalOptions.DEFAULT_CONTEXT);
        if (resolved instanceof ModelSpecs.AdHoc adHoc) {
            ModelProfile p = router.registry().register(adHoc.profile());
            if (p.local()) {
                tuned.put(p.id(), options);
            }
        }
        return resolved.requestModel();
    }

    /** {@link #use(String, LocalOptions)} with the default local options. */
    public String use(String spec) {
        return use(spec, LocalOptions.defaults());
    }

    private ModelSpecs specs() {
        return new ModelSpecs(router.registry(), router.file().baseUrls().keySet(), store(), prices);
    }

    /**
     * Completes a raw prompt (no chat template) with a local GGUF model, leased from the host like every local model:
     * for {@code hearth generate}. {@code model} is a spec as {@link #use} takes.
     */
    public EngineResult complete(String model, String prompt, GenerationParams params, TokenSink sink)
            throws InterruptedException {
        String id = router.registry().find(model).isPresent() ? model : use(model);
        ModelProfile p = router.registry().find(id).orElse(null);
        if (p == null || !p.provider().equals("local")) {
            throw new IllegalArgumentException("completing a raw prompt needs a local GGUF model, and " + model + " is "
                    + (p == null ? "for the router to choose" : p.provider() + "'s") + "; name a GGUF file or a cached"
                    + " model, or use chat");
        }
        try (ModelHost.Lease lease = host().lease(ggufSpec(p), null)) {
            return ((EngineLoader.Served) lease.model()).engine().submit(prompt, params, sink).result();
        }
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
        cost(r).ifPresent(c -> router.config().budget().record(c.doubleValue()));
        return r;
    }

    /**
     * What an answer cost in US dollars: zero on this machine; for a vendor, its usage priced by the price table (the
     * model the vendor reports, else the one asked for); empty when the table does not know the model.
     */
    public java.util.Optional<java.math.BigDecimal> cost(FallbackChain.Routed r) {
        if (r.answeredBy().local()) {
            return java.util.Optional.of(java.math.BigDecimal.ZERO);
        }
        String provider = r.answeredBy().provider();
        var usage = r.response().usage();
        var now = java.time.Instant.now();
        var reported = r.response().model().isEmpty() ? java.util.Optional.<java.math.BigDecimal>empty()
                : prices.cost(provider, r.response().model(), usage, now);
        return reported.or(() -> prices.cost(provider, r.answeredBy().model(), usage, now));
    }

    /** The GGUF file of a local model a spec names (for commands that read a model's metadata, not run it). */
    public Path localFile(String spec) {
        String id = use(spec);
        ModelProfile p = router.registry().find(id).orElse(null);
        if (p == null || !p.provider().equals("local")) {
            throw new IllegalArgumentException(spec + " is not a local GGUF model; name a GGUF file or a cached model");
        }
        return ggufSpec(p).path();
    }

    /**
     * What a user should know about a model before trusting its answers: a synthetic GGUF (random weights) says so.
     * Empty for remote models and models not yet resolved.
     */
    public java.util.List<String> notes(String model) {
        ModelProfile p = router.registry().find(model).orElse(null);
        if (p == null || !p.provider().equals("local")) {
            return java.util.List.of();
        }
        try {
            var description = dev.hearth.llama.gguf.GgufFile.read(ggufSpec(p).path()).string("general.description");
            return description.filter(d -> d.contains("random weights"))
                    .map(d -> java.util.List.of(p.id() + " is a synthetic model with random weights: its output is"
                            + " meaningless. Name a real GGUF model for real answers."))
                    .orElse(java.util.List.of());
        } catch (RuntimeException unreadable) {
            return java.util.List.of(); // loading it will say what is wrong
        }
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
        Path dir = store().directory().resolve(p.model()); // an ad-hoc onnx:DIR is absolute already
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

    private dev.hearth.host.ModelStore store() {
        return dev.hearth.host.ModelStore.fromEnvironment(env);
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
        ModelSpec spec = ggufSpec(p);
        int context = spec.params().contextSize();
        LocalOptions options = tuned.get(p.id()); // set for a model named by its file or cache name
        java.util.function.UnaryOperator<dev.hearth.llama.ChatOptions> tuning = options == null ? o -> o : options::apply;
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
                    return new LlamaChatBackend(p.id(), served.engine(), tuning).stream(request, sink);
                }
            }
        };
    }

    /** What the host loads for a local GGUF profile: its file (a path, or a name in the cache) and its context. */
    private ModelSpec ggufSpec(ModelProfile p) {
        Path given = Path.of(p.model());
        Path file = given.isAbsolute() ? given : store().path(p.model());
        if (!Files.exists(file)) {
            throw new IllegalStateException("the local model " + p.model() + " is not in " + store().directory()
                    + "; pull it (bin/hearth models pull " + p.model() + ") or set LOCAL_MODEL_NAME to one that is");
        }
        int context = Math.min(p.contextWindow(), 8192);
        return new ModelSpec(p.id(), file, EstimateParams.cpu(context).withParallel(Math.max(1, context / 2048)));
    }

    /** The host of local models: RAM budget from HEARTH_RAM_BUDGET_GIB (default 75% of the JVM's view of RAM). */
    public synchronized ModelHost host() {
        if (host == null) {
            HostParams params = Machine.hostParams(env);
            int threads = LocalOptions.threads(env);
            var loader = LocalLoaders.loader(new EngineLoader(threads),
                    id -> java.util.Optional.ofNullable(router.file().chatFormats().get(id)), threads);
            host = new ModelHost(params, GpuProbe.detect(), loader, LocalLoaders.estimator(Estimator.gguf()),
                    java.time.Clock.systemUTC());
            host.onChange(dev.hearth.host.RunRegistry.fromEnvironment(env)::publish); // for `hearth ps`
        }
        return host;
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
