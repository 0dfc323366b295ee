package dev.hearth.runtime;

import dev.hearth.api.Capabilities;
import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.BackendTarget;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LoadedModel;
import dev.hearth.api.spi.LocalModel;
import dev.hearth.api.spi.LocalTuning;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.host.Estimator;
import dev.hearth.host.GpuProbe;
import dev.hearth.host.ModelHost;
import dev.hearth.host.ModelLoader;
import dev.hearth.host.ModelSpec;
import dev.hearth.host.ModelStore;
import dev.hearth.router.HearthConfig;
import dev.hearth.router.ModelProfile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends the runtime found through the {@link BackendProvider} SPI, and the one {@link ModelHost} every local
 * model is leased from. It turns a router's profile into a target, finds the provider that serves it, and hands the
 * fallback chain a {@link ChatBackend}: a client for a remote model, or one that leases a local model per request. It
 * names no backend. Thread-safe.
 */
final class Backends implements AutoCloseable {
    /** The most context a local model gets unless a user named its size. */
    private static final int LOCAL_CONTEXT_CAP = 8192;

    /** What makes two remote targets one client: the same wire format, base URL (null: the vendor's) and key. */
    private record ClientKey(String provider, URI baseUrl, String keyVariable) {
    }

    /** A loaded model as the host holds it; listed in {@code live} until it is closed. */
    private static final class Held implements ModelLoader.Loaded {
        private final String id;
        private final LoadedModel model;
        private final Map<String, Held> live;

        Held(String id, LoadedModel model, Map<String, Held> live) {
            this.id = id;
            this.model = model;
            this.live = live;
            live.put(id, this);
        }

        LoadedModel model() {
            return model;
        }

        @Override
        public void close() {
            live.remove(id, this);
            model.close();
        }
    }

    private final List<BackendProvider> providers;
    private final Map<String, String> env;
    private final HearthConfig file;
    /** Remote clients by where they send and with which key: one per vendor, one per server a model names. */
    private final Map<ClientKey, ChatBackend> clients = new HashMap<>();
    private final Map<String, LocalModel> locals = new ConcurrentHashMap<>();
    private final Map<String, LocalTuning> tuning = new ConcurrentHashMap<>();
    private final Map<String, Integer> askedContext = new ConcurrentHashMap<>();
    // made once per profile, not per request: the fallback chain asks for a profile's backend on every call
    private final Map<String, ModelSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, ChatBackend> served = new HashMap<>(); // guarded by this
    private final Map<String, Held> live = new ConcurrentHashMap<>();
    private final Map<String, dev.hearth.router.PooledBackend> pools = new java.util.concurrent.ConcurrentSkipListMap<>();
    private ModelHost host;
    /** Servers' models that discovery found, by id: where each is reached ({@link ModelDiscovery}). */
    private final Map<String, HearthConfig.Endpoint> found = new ConcurrentHashMap<>();

    Backends(List<BackendProvider> providers, Map<String, String> env, HearthConfig file) {
        if (providers.isEmpty()) {
            throw new IllegalStateException("no Hearth backend is installed: put hearth-llama, hearth-onnx or"
                    + " hearth-remote on the module path (or class path)");
        }
        this.providers = List.copyOf(providers);
        this.env = Map.copyOf(env);
        this.file = file;
        kvCacheType(this.env); // a bad HEARTH_KV_CACHE_TYPE fails at start, not at the first local request
    }

    /** Reaches the model {@code id} at {@code endpoint} (a model a server lists); its client is made anew. */
    synchronized void reach(String id, HearthConfig.Endpoint endpoint) {
        if (!endpoint.equals(found.put(id, endpoint))) {
            served.remove(id);
        }
    }

    /** The settings this Hearth runs with (hearth.toml's under the environment). */
    Map<String, String> env() {
        return env;
    }

    ModelStore store() {
        return ModelStore.fromEnvironment(env);
    }

    /** What {@link Hearth#configuration()} shows: the settings Hearth reads, each secret masked. */
    java.util.SortedMap<String, String> configuration() {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        env.forEach((name, value) -> {
            if (name.matches("(HEARTH|LLM|LOCAL|MODEL|CLAUDE|REASONING|ANTHROPIC|DEEPSEEK|OPENAI)_[A-Z0-9_]*")) {
                out.put(name, name.matches(".*(KEY|SECRET|TOKEN|PASSWORD).*") ? "********"
                        : name.equals("HEARTH_DATABASE_URL") ? value.replaceAll("//[^@/]*@", "//********@") : value);
            }
        });
        return out;
    }

    /** The catalog this environment names (see {@link Hearth#catalog}). */
    dev.hearth.host.Catalog catalog() throws java.io.IOException {
        return Hearth.catalog(env);
    }

    /** Remote providers a user may name without configuration (PROVIDER:MODEL). */
    Set<String> vendors() {
        Set<String> all = new TreeSet<>();
        providers.forEach(p -> all.addAll(p.vendors()));
        return all;
    }

    /** The first embedder a backend offers, for the semantic classifier. */
    EmbeddingBackend embedder() {
        return providers.stream().flatMap(p -> p.embedder().stream()).findFirst().orElseThrow(() ->
                new IllegalArgumentException("HEARTH_CLASSIFIER=semantic needs an embedding model, and no installed"
                        + " backend offers one: add hearth-onnx, or use HEARTH_CLASSIFIER=rules"));
    }

    /** A hearth.toml [[model]] option, checked by the backend that serves that model. */
    Optional<HearthConfig.OptionProblem> checkOption(ModelProfile model, String key, String value) {
        BackendProvider provider = providers.stream().filter(p -> p.optionChoices(key).isPresent()).findFirst()
                .orElse(null);
        if (provider == null) {
            return Optional.of(new HearthConfig.OptionProblem("no installed backend takes the option " + key, List.of()));
        }
        List<String> choices = provider.optionChoices(key).orElseThrow();
        return provider.acceptsOption(key, value) ? Optional.empty()
                : Optional.of(new HearthConfig.OptionProblem("unknown " + key + " \"" + value + "\"", choices));
    }

    /** Why a file is not a model any installed backend reads; empty when one reads it. */
    Optional<String> unreadable(Path path) {
        List<String> reasons = new java.util.ArrayList<>();
        for (BackendProvider p : providers) {
            Optional<String> why = p.unreadable(path);
            if (why.isEmpty()) {
                return Optional.empty();
            }
            reasons.add(p.name() + ": " + why.get());
        }
        return Optional.of(String.join("; ", reasons));
    }

    /**
     * What makes a model's answers what they are, beyond the request, for the response cache's key: its provider and
     * name, its own server, its hearth.toml options, and for a local model its tuning and its file (path, size and
     * time of change; each file of a model directory), so that a model replaced or configured anew is a new key.
     */
    String fingerprint(ModelProfile p) {
        StringBuilder b = new StringBuilder().append(p.provider()).append('\n').append(p.model()).append('\n')
                .append(new java.util.TreeMap<>(file.modelOptions().getOrDefault(p.id(), Map.of()))).append('\n');
        if (!p.local()) {
            HearthConfig.Endpoint own = endpoint(p);
            // its own server, else the vendor's as configured (ANTHROPIC_BASE_URL, ...)
            return b.append(own != null ? own.baseUrl() : env.getOrDefault(p.provider().toUpperCase(
                    java.util.Locale.ROOT) + "_BASE_URL", "")).toString();
        }
        b.append(tuning.getOrDefault(p.id(), LocalTuning.NONE)).append('\n');
        try {
            Path where = location(p);
            if (Files.isDirectory(where)) {
                try (var files = Files.list(where)) {
                    files.filter(Files::isRegularFile).sorted().forEach(f -> stamp(b, f));
                }
            } else {
                stamp(b, where);
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            b.append("unreadable"); // the call says why, if it runs
        }
        return b.toString();
    }

    private static void stamp(StringBuilder b, Path file) {
        try {
            b.append(file).append(' ').append(Files.size(file)).append(' ').append(Files.getLastModifiedTime(file))
                    .append('\n');
        } catch (java.io.IOException e) {
            b.append(file).append(" unreadable\n");
        }
    }

    /**
     * Runs a local model that a user named by its file with {@code t} (template, sampling the request lacks) and a
     * context of {@code context} tokens (0: the default, within what the model was trained for).
     */
    synchronized void tune(String id, LocalTuning t, int context) {
        tuning.put(id, t);
        if (context > 0) {
            askedContext.put(id, context);
        }
        specs.remove(id); // sized anew with the context asked for
        served.remove(id);
    }

    /** What a profile names, as a backend sees it. */
    BackendTarget target(ModelProfile p) {
        Map<String, String> settings = new HashMap<>(env);
        settings.remove(BackendTarget.KEY_VARIABLE); // only a model's own configuration names its key
        settings.putAll(file.modelOptions().getOrDefault(p.id(), Map.of()));
        // a draft model is found where the model itself would be: a path, or a name in the cache
        settings.computeIfPresent(BackendTarget.DRAFT_MODEL, (k, draft) -> location(draft).toString());
        if (!p.local()) {
            HearthConfig.Endpoint own = endpoint(p);
            if (own != null && own.apiKeyEnv() != null) {
                settings.put(BackendTarget.KEY_VARIABLE, own.apiKeyEnv());
            }
            return new BackendTarget(p.id(), p.provider(), p.model(), null, own == null ? null : own.baseUrl(),
                    settings);
        }
        return new BackendTarget(p.id(), p.provider(), p.model(), location(p), null, settings);
    }

    /**
     * A remote model's own server: the base_url of its [[model]]; for a PROVIDER:MODEL a user named on a server the
     * file declares (PROVIDER being no vendor's), that server; null for the rest, which go to their vendor. A base
     * URL is never borrowed from another model of the same provider.
     */
    private HearthConfig.Endpoint endpoint(ModelProfile p) {
        HearthConfig.Endpoint discovered = found.get(p.id());
        if (discovered != null) {
            return discovered;
        }
        HearthConfig.Endpoint own = file.endpoints().get(p.id());
        boolean declared = file.models().stream().anyMatch(m -> m.id().equals(p.id()));
        if (own != null || declared || vendors().contains(p.provider())) {
            return own;
        }
        return file.server(p.provider(), p.model()).orElse(null);
    }

    /**
     * A local model's file or directory: its path when absolute, else a name in the cache (a directory of that name,
     * or NAME.gguf by {@link ModelStore}).
     */
    private Path location(ModelProfile p) {
        return location(p.model());
    }

    private Path location(String model) {
        Path given = Path.of(model);
        if (given.isAbsolute()) {
            return given;
        }
        Path dir = store().directory().resolve(model);
        return Files.isDirectory(dir) ? dir : store().path(model);
    }

    private BackendProvider provider(BackendTarget target) {
        return providers.stream().filter(p -> p.serves(target)).findFirst().orElseThrow(() -> target.local()
                ? new dev.hearth.api.ModelUnavailableException("the local model " + target.model() + " is not in "
                        + target.location().getParent() + " (no " + target.location().getFileName() + "); pull it"
                        + " (bin/hearth models pull " + target.model() + ") or name one that is there")
                : new dev.hearth.api.ModelUnavailableException("no installed backend reaches " + target.provider()
                        + " (installed: " + providers.stream().map(BackendProvider::name).toList() + "; the vendors"
                        + " they know: " + vendors() + "); a server of your own needs a base_url in its [[model]] in"
                        + " hearth.toml"));
    }

    /** The backend the fallback chain runs a profile on. */
    synchronized ChatBackend backend(ModelProfile p) {
        return served.computeIfAbsent(p.id(), id -> p.local() ? leasing(p) : client(p));
    }

    /** A remote profile's client, shared by the profiles that reach the same server with the same key. */
    private ChatBackend client(ModelProfile p) {
        BackendTarget target = target(p);
        HearthConfig.Endpoint own = endpoint(p);
        if (own != null && own.pooled()) {
            return pools.computeIfAbsent(p.id(), id -> EndpointPools.open(p.id(), own, target, provider(target), env));
        }
        ClientKey key = new ClientKey(target.provider(), target.baseUrl(),
                target.settings().get(BackendTarget.KEY_VARIABLE));
        ChatBackend client = clients.get(key);
        if (client == null) {
            client = provider(target).connect(target);
            clients.put(key, client);
        }
        return client;
    }

    /** A local profile's backend: each request leases the model from the host. */
    private ChatBackend leasing(ModelProfile p) {
        ModelSpec spec = spec(p);
        return new ChatBackend() {
            @Override
            public String name() {
                return "local:" + p.id();
            }

            @Override
            public Capabilities capabilities() {
                return new Capabilities(p.tools(), p.jsonSchema(), false, true, spec.params().contextSize());
            }

            @Override
            public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
                if (local(p).embeds()) { // refused before it is loaded
                    throw new IllegalArgumentException(p.id() + " is an embedding model: it turns texts into vectors"
                            + " (POST /v1/embeddings, /api/embed) and does not chat; name a chat model");
                }
                try (ModelHost.Lease lease = host().lease(spec, null)) {
                    return loaded(lease).chat(tuning.getOrDefault(p.id(), LocalTuning.NONE)).stream(request, sink);
                }
            }
        };
    }

    /** The pools of servers the models that have been called are served by, by model id. */
    Map<String, dev.hearth.router.PooledBackend> pools() {
        return Map.copyOf(pools);
    }

    /** What the prefix caches of each loaded local model hold, by model id. */
    Map<String, dev.hearth.api.spi.PrefixReport> prefixes() {
        Map<String, dev.hearth.api.spi.PrefixReport> out = new java.util.TreeMap<>();
        live.forEach((id, held) -> out.put(id, held.model().prefixes()));
        return out;
    }

    /** The model a lease holds. */
    static LoadedModel loaded(ModelHost.Lease lease) {
        return ((Held) lease.model()).model();
    }

    /** A local profile's model before it is loaded, as its backend sees it (its file is read once). */
    LocalModel local(ModelProfile p) {
        return locals.computeIfAbsent(p.id(), id -> {
            BackendTarget target = target(p);
            return provider(target).local(target).orElseThrow(() -> new IllegalStateException(
                    target.provider() + " does not run models on this machine"));
        });
    }

    /** What the host loads for a local profile: its location and the context it runs with. */
    ModelSpec spec(ModelProfile p) {
        return specs.computeIfAbsent(p.id(), id -> sized(p));
    }

    private ModelSpec sized(ModelProfile p) {
        LocalModel model = local(p);
        int trained = model.trainedContext() > 0 ? model.trainedContext() : Integer.MAX_VALUE;
        int asked = askedContext.getOrDefault(p.id(), 0);
        if (asked > trained) {
            throw new IllegalArgumentException("a context of " + asked + " tokens is more than " + p.id()
                    + " was trained for (" + trained + "); ask for " + trained + " or fewer");
        }
        int context = asked > 0 ? asked : Math.max(256, Math.min(Math.min(p.contextWindow(), LOCAL_CONTEXT_CAP),
                trained));
        return new ModelSpec(p.id(), target(p).location(), EstimateParams.cpu(context)
                .withParallel(Math.max(1, context / 2048)).withKvCacheType(kvCacheType(env)));
    }

    /** The local engines' KV cache type: HEARTH_KV_CACHE_TYPE (or kv_cache_type in hearth.toml), else f16. */
    static dev.hearth.api.spi.KvCacheType kvCacheType(Map<String, String> env) {
        String set = env.get("HEARTH_KV_CACHE_TYPE");
        return set == null || set.isBlank() ? dev.hearth.api.spi.KvCacheType.F16
                : dev.hearth.api.spi.KvCacheType.parse(set, "HEARTH_KV_CACHE_TYPE");
    }

    /** How many requests a local profile's engine decodes at once. */
    int slots(ModelProfile p) {
        return spec(p).params().parallel();
    }

    /** A local profile's tokenizer, without its weights: not through {@link #spec}, which reads the weights' shape. */
    dev.hearth.api.spi.Tokenizer tokenizer(ModelProfile p) {
        return local(p).tokenizer().orElseThrow(() -> new IllegalArgumentException(provider(target(p)).name()
                + " cannot load " + p.id() + "'s tokenizer on its own; name a GGUF model"));
    }

    /** The default embedder's model name, without loading it; empty when no installed backend offers one. */
    Optional<String> embedderName() {
        return providers.stream().flatMap(p -> p.embedderName().stream()).findFirst();
    }

    /** The embedder in {@code dir}, or the default one when {@code dir} is null. */
    EmbeddingBackend embedder(Path dir) {
        if (dir == null) {
            return embedder();
        }
        return providers.stream().flatMap(p -> p.embedder(dir).stream()).findFirst().orElseThrow(() ->
                new IllegalArgumentException(dir + " is not an embedding model any installed backend reads (for ONNX:"
                        + " a directory with model.onnx and tokenizer.json)"));
    }

    private LocalModel local(ModelSpec spec) {
        LocalModel m = locals.get(spec.id());
        if (m == null) {
            throw new IllegalStateException("the model " + spec.id() + " was leased before it was resolved");
        }
        return m;
    }

    /** The host of local models: RAM budget from HEARTH_RAM_BUDGET_GIB (default: the host's share of RAM). */
    synchronized ModelHost host() {
        if (host == null) {
            var registry = dev.hearth.host.RunRegistry.fromEnvironment(env);
            int threads = LocalOptions.threads(env, otherProcesses(registry));
            ModelLoader loader = (spec, placement) -> new Held(spec.id(), local(spec).load(
                    spec.params().withGpuLayers(placement.gpuLayers()), threads), live);
            Estimator estimator = new Estimator() {
                @Override
                public int layers(ModelSpec spec) {
                    return local(spec).layers();
                }

                @Override
                public MemoryEstimate estimate(ModelSpec spec, int gpuLayers) {
                    return local(spec).estimate(spec.params().withGpuLayers(gpuLayers));
                }
            };
            host = new ModelHost(Machine.hostParams(env), GpuProbe.detect(), loader, estimator,
                    java.time.Clock.systemUTC());
            host.onChange(registry::publish); // for `hearth ps`
        }
        return host;
    }

    /** Other Hearth processes with models loaded here now, which share the cores with this one. */
    private static int otherProcesses(dev.hearth.host.RunRegistry registry) {
        long me = ProcessHandle.current().pid();
        try {
            return (int) registry.read().entries().stream().mapToLong(dev.hearth.host.RunRegistry.Entry::pid)
                    .filter(pid -> pid != me).distinct().count();
        } catch (java.io.IOException | RuntimeException unreadable) {
            return 0; // `hearth ps` reports what it cannot read; here the cores are simply not shared
        }
    }

    @Override
    public synchronized void close() {
        for (ChatBackend b : clients.values()) {
            if (b instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(Backends.class).warn("closing {}: {}", b.name(),
                            dev.hearth.api.Secrets.redact(e.toString()));
                }
            }
        }
        clients.clear();
        pools.values().forEach(dev.hearth.router.PooledBackend::close);
        pools.clear();
        served.clear();
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
