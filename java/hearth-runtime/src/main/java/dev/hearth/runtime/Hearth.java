package dev.hearth.runtime;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.TokenSink;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.Completion;
import dev.hearth.api.spi.CompletionRequest;
import dev.hearth.host.ModelHost;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.ResponseCache;
import dev.hearth.router.CacheStatus;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.HealthTracker;
import dev.hearth.router.Measurements;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PrivacyGuard;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.Router;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hearth in one object, and the one way in for every face: whatever model a caller names ({@link #use}) or none, each
 * request is routed (a named model is the user's choice, which the router honours), guarded (credentials redacted or
 * refused per HEARTH_PRIVACY before anything leaves the machine, the monthly budget, circuit health), run along its
 * fallback chain, and answered with the decision that was made. Backends come from the {@link BackendProvider} SPI;
 * every local model, configured or named by its path, is leased from the one {@link ModelHost} (memory budget,
 * keep-alive, eviction, {@code hearth ps}). Thread-safe.
 */
public final class Hearth implements AutoCloseable {
    private final Router router;
    private final HealthTracker health;
    private final FallbackChain chain;
    private final Backends backends;
    private final dev.hearth.router.PriceTable prices = dev.hearth.router.PriceTable.defaults();
    private final boolean strategyChosen;
    private final LedgerConfig ledgerConfig;
    private Ledger ledger; // opened on first use, guarded by this
    private final Calls calls;
    private final EmbeddingCalls embeddings;
    private final java.util.List<java.util.function.BiConsumer<String, String>> admissions =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FairShare fair;
    private final ResponseCaching cache;
    private final ModelDiscovery discovery;
    private final AutoCloseable rescans; // scheduled discovery scans; a no-op when none are
    private static final int PRUNE_BATCH = 500;
    /** Requests that may wait per local model for a turn; more are answered at once with {@link QueueFullException}. */
    static final int MAX_WAITING = 64;

    Hearth(Router router, Backends backends, PrivacyGuard guard, boolean strategyChosen,
            LedgerConfig ledgerConfig, String baselineModel, ResponseCaching.Settings caching, java.time.Clock clock) {
        this.router = router;
        this.ledgerConfig = ledgerConfig;
        this.backends = backends;
        this.strategyChosen = strategyChosen;
        this.health = new HealthTracker(java.time.Clock.systemUTC());
        this.chain = new FallbackChain(backends::backend, guard, health);
        router.watch(health);
        router.measuredBy(chain.measurements()); // the fast preset reads the measured times to first token
        router.licences().findWith(new LicenceSources(backends)::find);
        // a shared ledger may hold budgets that other instances or an operator set at any time: a remote call it
        // cannot record is never sent unreserved (several instances under load overspent that way)
        this.calls = new Calls(this::ledger, prices, !ledgerConfig.declaredBudgets().isEmpty()
                || ledgerConfig.store() instanceof LedgerConfig.Postgres,
                router.registry().find(baselineModel).orElse(null), this::cost);
        health.onTransition(calls.circuits());
        this.embeddings = new EmbeddingCalls(backends, calls, router.registry(), m -> local(m, "embedding texts"),
                this::specs);
        this.cache = new ResponseCaching(caching, this::ledger, clock, backends::embedder, backends::fingerprint);
        this.fair = new FairShare(this::slots, MAX_WAITING, (model, caller) -> admissions.forEach(
                l -> l.accept(model, caller)));
        // routing reads the month's spend and callers' scores from the ledger, shared by every process on it
        router.config().budget().readFrom(() -> LedgerReadings.month(ledger()));
        router.config().quality().readFrom(() -> LedgerReadings.scores(ledger()));
        this.discovery = new ModelDiscovery(this, backends, router.file().discovery().withEnvironment(backends.env()),
                () -> java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3)).build(),
                clock);
        this.rescans = discovery.config().interval().isZero() ? () -> { }
                : discovery.every(discovery.config().interval(), ModelDiscovery.Scheduler.daemon());
    }

    /** Configured by the process environment (LLM_STRATEGY, keys, LOCAL_MODEL_NAME, MODEL_CACHE_DIR, ...). */
    public static Hearth fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From {@code HEARTH_CONFIG} (a hearth.toml; none if unset) and the environment, which wins over the file, with
     * the installed backends. A configuration that names an unknown model, strategy or backend option fails here,
     * with its line and the valid choices.
     */
    public static Hearth fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, java.time.Clock.systemUTC());
    }

    /** As {@link #fromEnvironment(Map)}, with the response cache's time-to-live running on {@code clock}. */
    static Hearth fromEnvironment(Map<String, String> env, java.time.Clock clock) {
        return HearthSetup.fromEnvironment(env, clock);
    }

    public Router router() {
        return router;
    }

    /**
     * Whether a strategy was chosen ({@code LLM_STRATEGY}, or {@code strategy} in the HEARTH_CONFIG file), so that a
     * face that has a default model of its own lets the router decide instead.
     */
    public boolean strategyChosen() {
        return strategyChosen;
    }

    /**
     * Resolves what a user named (see {@link ModelSpecs}) and returns the name to put in a request's {@code model}:
     * {@code auto} or an agent for the router to decide, else a model the router will honour as the user's choice,
     * still behind every guard. A file, a cache name, {@code PROVIDER:MODEL} or {@code KIND:DIR} becomes a profile of
     * its own; a local one runs with {@code options}.
     */
    public String use(String spec, LocalOptions options) {
        int context = options.contextSize() > 0 ? options.contextSize() : LocalOptions.DEFAULT_CONTEXT;
        ModelSpecs.Resolved resolved = discovery.afterScanIfUnknown(() -> specs().resolve(spec, context));
        if (resolved instanceof ModelSpecs.AdHoc adHoc) {
            ModelProfile p = router.registry().register(adHoc.profile());
            if (p.local()) {
                backends.tune(p.id(), options.tuning(), options.contextSize());
            } else {
                backends.target(p); // a PROVIDER:MODEL that could be on several servers is refused now, saying which
            }
        }
        return resolved.requestModel();
    }

    /** The one reader of model specs, over this Hearth's registry, vendors, servers and cache. */
    ModelSpecs specs() {
        return new ModelSpecs(router.registry(), backends.vendors(), router.file().servers(), backends.store(), prices);
    }

    /**
     * Model discovery: the cache, the folders and servers hearth.toml's {@code [discovery]} and HEARTH_MODEL_DIRS name,
     * scanned on demand and every HEARTH_DISCOVERY_INTERVAL_SECONDS when set ({@link ModelDiscovery}).
     */
    public ModelDiscovery discovery() {
        return discovery;
    }

    /** {@link #use(String, LocalOptions)} with the default local options. */
    public String use(String spec) {
        return use(spec, LocalOptions.defaults());
    }

    /** The local profile a spec or id names; refused, saying so, when it names a remote model or none. */
    private ModelProfile local(String model, String purpose) {
        String id = router.registry().find(model).isPresent() ? model : use(model);
        ModelProfile p = router.registry().find(id).orElse(null);
        if (p == null || !p.local()) {
            throw new IllegalArgumentException(purpose + " needs a local model, and " + model + " is "
                    + (p == null ? "for the router to choose" : p.provider() + "'s") + "; name a model file or a"
                    + " cached model");
        }
        return p;
    }

    /**
     * Completes a raw prompt (no chat template) with a local model, leased from the host like every local model: for
     * {@code hearth generate}. {@code model} is a spec as {@link #use} takes.
     */
    public Completion complete(String model, String prompt, CompletionRequest request, TokenSink sink)
            throws InterruptedException {
        ModelProfile p = local(model, "completing a raw prompt");
        try (ModelHost.Lease lease = backends.host().lease(backends.spec(p), null)) {
            return Backends.loaded(lease).completer().orElseThrow(() -> new IllegalArgumentException(p.id()
                    + "'s backend completes no raw prompts; use chat")).complete(prompt, request, sink);
        }
    }

    /** The file or directory of a local model (for commands that read a model's metadata, not run it). */
    public Path location(String model) {
        return backends.spec(local(model, "reading a model's file")).path();
    }

    /**
     * A local model's tokenizer, loaded without its weights (a vocabulary-only file works too): the caller closes it.
     * {@code model} is a spec as {@link #use} takes.
     */
    public dev.hearth.api.spi.Tokenizer tokenizer(String model) {
        return backends.tokenizer(local(model, "tokenizing"));
    }

    /** What a local model's file says of it, read without loading it ({@code hearth models info}). */
    public java.util.SequencedMap<String, String> metadata(String model) {
        return backends.local(local(model, "reading a model's metadata")).metadata();
    }

    /** What a local model is, for a person, as its backend tells it ({@code hearth info}). */
    public java.util.SequencedMap<String, String> describe(String model) {
        return backends.local(local(model, "describing a model")).describe();
    }

    /**
     * An embedder: the one in {@code dir} (a local embedding model some installed backend reads), or with no directory
     * the one the backends offer by default, which is shared: only one from a directory is the caller's to close (when
     * it is {@link AutoCloseable}).
     */
    public dev.hearth.api.EmbeddingBackend embedder(Path dir) {
        return backends.embedder(dir);
    }

    /**
     * Embeds {@code texts} (1 to {@value Vectors#MAX_TEXTS}, none empty) with {@code model}: the default embedder, or a
     * local embedding model (a GGUF that declares a pooling) leased from the host. Recorded in the ledger as a call
     * from {@code entry} by {@code caller}. A chat model is refused, naming those that embed ({@link #embeddingModels}).
     */
    public Vectors embed(String model, List<String> texts, EntryPoint entry, Caller caller)
            throws InterruptedException {
        return embeddings.embed(model, texts, new Calls.Origin(entry, caller == null ? Caller.ANONYMOUS : caller));
    }

    /** As {@link #embed(String, List, EntryPoint, Caller)} from the Java API. */
    public Vectors embed(String model, List<String> texts) throws InterruptedException {
        return embed(model, texts, EntryPoint.JAVA_API, Caller.ANONYMOUS);
    }

    /** The names {@link #embed} takes (the default embedder's, local embedding models), read without loading any. */
    public List<String> embeddingModels() {
        return embeddings.models();
    }

    /** The name of the default embedder's model ({@link #embedder} with no directory), without loading it. */
    public java.util.Optional<String> embedderName() {
        return backends.embedderName();
    }

    /** What a user should know about a model before trusting its answers (a synthetic model says so). */
    public List<String> notes(String model) {
        ModelProfile p = router.registry().find(model).orElse(null);
        if (p == null || !p.local()) {
            return List.of();
        }
        try {
            return backends.local(p).notes();
        } catch (RuntimeException unreadable) {
            return List.of(); // loading it will say what is wrong
        }
    }

    /** Why a file is not a model any installed backend reads (empty: one reads it): for pulls. */
    public Optional<String> unreadable(Path file) {
        return backends.unreadable(file);
    }

    /** Measured time to first token and decode speed per model (declared until calls complete). */
    public Measurements measurements() {
        return chain.measurements();
    }

    /** Each model's circuit state and failure rates. */
    public HealthTracker health() {
        return health;
    }

    /** The price table remote calls are costed by (with its "as of" date). */
    public dev.hearth.router.PriceTable prices() {
        return prices;
    }

    /** A local model's engine slots (how many requests it runs at once), as its turns are given. */
    public int engineSlots(String model) {
        return Math.max(1, slots(model));
    }

    /** Each pool of servers (a hearth.toml [[model]] with endpoints) called so far: its endpoints' states and counts. */
    public Map<String, List<dev.hearth.router.EndpointPool.EndpointStats>> endpointPools() {
        Map<String, List<dev.hearth.router.EndpointPool.EndpointStats>> out = new java.util.TreeMap<>();
        backends.pools().forEach((id, pool) -> out.put(id, pool.stats()));
        return out;
    }

    /** What the prefix caches of each loaded local model hold (for a gateway in front of this Hearth). */
    public Map<String, dev.hearth.api.spi.PrefixReport> prefixes() {
        return backends.prefixes();
    }

    /**
     * A local model's engine settings as it is (or would be) loaded: context, slots, KV cache type; empty for a model
     * that is not local or whose file cannot be read yet.
     */
    public java.util.Optional<dev.hearth.api.spi.EstimateParams> engineParams(String model) {
        try {
            return router.registry().find(model).filter(ModelProfile::local).map(p -> backends.spec(p).params());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** How many requests wait now for a turn at a local model (at most {@value #MAX_WAITING}). */
    public int waiting(String model) {
        return fair.waiting(model);
    }

    // a local model's engine slots; 1 when its file cannot be read yet (the chain then says why)
    private int slots(String model) {
        try {
            return router.registry().find(model).map(backends::slots).orElse(1);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** The decision for a request, without running it. */
    public RouteDecision explain(ChatRequest request) {
        return router.explain(request);
    }

    /** The decision for a request with a preset or a conversation (its lock applies), without running it. */
    public RouteDecision explain(ChatRequest request, dev.hearth.router.RouteOptions options) {
        return router.explain(request, options);
    }

    /**
     * As {@link #chat(ChatRequest)} with a preset or a conversation: a session without a lock takes one on the model
     * that answers (see {@link dev.hearth.router.ModelLocks}).
     */
    public FallbackChain.Routed chat(ChatRequest request, dev.hearth.router.RouteOptions options)
            throws InterruptedException {
        return chat(request, CallOptions.DEFAULT.withRoute(options));
    }

    /** As {@link #stream(ChatRequest, RouteDecision, ChatSink, EntryPoint, Caller, CallOptions)} with these. */
    public FallbackChain.Routed stream(ChatRequest request, RouteDecision decision, ChatSink sink, EntryPoint entry,
            Caller caller, dev.hearth.router.RouteOptions options) throws InterruptedException {
        return stream(request, decision, sink, entry, caller, CallOptions.DEFAULT.withRoute(options));
    }

    /** Releases a conversation's model lock; false when it had none. */
    public boolean releaseLock(String session) {
        return router.locks().release(dev.hearth.router.ModelLocks.Holder.session(session));
    }

    /**
     * Answers a request through the one front door: routed, guarded, held against the budgets in the ledger before
     * anything is sent, and recorded there (the result's {@code callId}); answered from the response cache when it
     * keeps the answer to an identical deterministic request (see {@link CacheMode#DEFAULT}).
     */
    public FallbackChain.Routed chat(ChatRequest request) throws InterruptedException {
        return chat(request, CallOptions.DEFAULT);
    }

    /** As {@link #chat(ChatRequest)}, using the response cache as {@code options} say. */
    public FallbackChain.Routed chat(ChatRequest request, CallOptions options) throws InterruptedException {
        Optional<TournamentResult> critical = new Tournament(this).critical(request, EntryPoint.JAVA_API,
                Caller.ANONYMOUS); // hearth.toml's [tournament]: a critical request is answered by several models
        if (critical.isPresent()) {
            return Tournament.chosen(critical.get());
        }
        return stream(request, explain(request, options.route()), null, EntryPoint.JAVA_API, Caller.ANONYMOUS,
                options);
    }

    public FallbackChain.Routed stream(ChatRequest request, ChatSink sink) throws InterruptedException {
        return stream(request, router.explain(request), sink);
    }

    /** Runs a decision already made by {@link #explain} (so a caller that shows it first does not decide twice). */
    public FallbackChain.Routed stream(ChatRequest request, RouteDecision decision, ChatSink sink)
            throws InterruptedException {
        return stream(request, decision, sink, EntryPoint.JAVA_API, Caller.ANONYMOUS);
    }

    /**
     * As {@link #stream(ChatRequest, RouteDecision, ChatSink)} for a face that says where the call came from and who
     * made it (the ledger records both; a key's and an agent's budgets apply). {@code sink} null answers in one piece.
     */
    public FallbackChain.Routed stream(ChatRequest request, RouteDecision decision, ChatSink sink, EntryPoint entry,
            Caller caller) throws InterruptedException {
        return stream(request, decision, sink, entry, caller, CallOptions.DEFAULT);
    }

    /**
     * The front door itself: as {@link #stream(ChatRequest, RouteDecision, ChatSink, EntryPoint, Caller)}, using the
     * response cache as {@code options} say. A cache hit calls no model and spends nothing: the kept answer reaches
     * {@code sink} in pieces as a model's would, and the ledger records the call with one cache hit, cost 0 and the
     * first call's cost as saved (the result's {@link FallbackChain.Routed#cache()} is {@code HIT}). Answers are never
     * shared between API keys ({@code caller.keyName()}) unless {@code HEARTH_CACHE_SHARED} is set.
     */
    public FallbackChain.Routed stream(ChatRequest request, RouteDecision decision, ChatSink sink, EntryPoint entry,
            Caller caller, CallOptions options) throws InterruptedException {
        options = options == null ? CallOptions.DEFAULT : options;
        Calls.Origin origin = new Calls.Origin(entry, caller == null ? Caller.ANONYMOUS : caller, options.onCallId());
        ResponseCaching.Plan plan = cache.plan(request, decision, origin.caller(), options.cache());
        options.onCacheStatus().accept(plan.status());
        if (plan.hit() != null) {
            ResponseCache.Entry kept = plan.hit();
            ModelProfile by = router.registry().find(kept.model()).orElse(decision.chain().getFirst());
            FallbackChain.Routed r = new FallbackChain.Routed(kept.response(), by, decision, List.of(), null, "",
                    java.time.Duration.ZERO, CacheStatus.HIT);
            return calls.cached(request, decision, origin, r, kept.costUsd(), plan.attributes(),
                    () -> ResponseCaching.replay(kept.response(), sink));
        }
        FallbackChain.Routed r;
        ModelProfile first = decision.chosen();
        if (first == null || !first.local()) {
            r = spend(calls.run(request, decision, origin, gate -> chain.execute(request, decision, sink, gate)));
        } else {
            try (FairShare.Turn turn = fair.enter(first.id(), turnsOf(origin.caller()))) { // one caller at a time
                r = spend(calls.run(request, decision, origin, gate -> chain.execute(request, decision, sink, gate)));
            }
        }
        cache.keep(plan, r, cost(r).orElse(BigDecimal.ZERO));
        router.locks().answered(options.route(), r.answeredBy()); // a session without a lock takes one
        return r.withCache(plan.status());
    }

    /**
     * Asks several models the same request and says how far they agree ({@link Tournament}): each answer an ordinary
     * call in the ledger, the spend of all of them held before any is sent.
     */
    public TournamentResult tournament(ChatRequest request, TournamentOptions options) throws InterruptedException {
        return new Tournament(this).run(request, options, EntryPoint.JAVA_API, Caller.ANONYMOUS);
    }

    /** Whose turn a request takes at a local model: its API key, else its agent, else its user tag. */
    private static String turnsOf(Caller caller) {
        return caller.keyName() != null ? "key:" + caller.keyName() : caller.agent() != null ? "agent:"
                + caller.agent() : caller.userTag() != null ? "user:" + caller.userTag() : "anonymous";
    }

    /** Tells {@code listener} each time a caller's request is admitted to a local model (its fair turn). */
    public void onAdmission(java.util.function.BiConsumer<String, String> listener) {
        admissions.add(listener);
    }

    /**
     * Waits until every call answered so far is in the ledger: calls that ran only on this machine are recorded just
     * after they answer, off their request path.
     */
    public void flushCalls() throws InterruptedException {
        calls.flush();
    }

    /** Calls that answered but could not be written to the ledger since this Hearth started. */
    public long unrecordedCalls() {
        return calls.unrecorded();
    }

    /** What a remote answer cost goes against the month's budget (priced by the price table, as billed). */
    private FallbackChain.Routed spend(FallbackChain.Routed r) {
        cost(r).ifPresent(c -> router.config().budget().record(c.doubleValue()));
        return r;
    }

    /**
     * What an answer cost in US dollars: zero on this machine or from the response cache; for a vendor, its usage
     * priced by the price table (the model the vendor reports, else the one asked for); empty when the table does not
     * know the model.
     */
    public Optional<BigDecimal> cost(FallbackChain.Routed r) {
        if (r.answeredBy().local() || r.cached()) {
            return Optional.of(BigDecimal.ZERO);
        }
        String provider = r.answeredBy().provider();
        var usage = r.response().usage();
        Instant now = Instant.now();
        var reported = r.response().model().isEmpty() ? Optional.<BigDecimal>empty()
                : prices.cost(provider, r.response().model(), usage, now);
        return reported.or(() -> prices.cost(provider, r.answeredBy().model(), usage, now));
    }

    /**
     * The ledger this Hearth records to (calls, traces, budgets, API keys): SQLite under {@code $HEARTH_HOME/data}
     * (or {@code HEARTH_LEDGER_PATH}), or PostgreSQL at {@code HEARTH_DATABASE_URL}; opened on first use and closed
     * with this Hearth.
     */
    public synchronized Ledger ledger() {
        if (ledger == null) {
            Ledger opened = Ledger.open(ledgerConfig);
            ledger = opened;
            // calls older than the retention period go in small batches, off every request's path
            Thread.ofVirtual().name("hearth-ledger-prune").start(() -> {
                try {
                    int pruned;
                    do {
                        pruned = opened.prune(PRUNE_BATCH);
                    } while (pruned == PRUNE_BATCH);
                } catch (RuntimeException e) { // closed meanwhile, or unavailable: the next start prunes
                    org.slf4j.LoggerFactory.getLogger(Hearth.class).debug("ledger pruning stopped: {}", e.getMessage());
                }
            });
        }
        return ledger;
    }

    /**
     * The ledger {@code env} names, alone: for commands that read or change only the ledger ({@code hearth keys},
     * {@code spend}, {@code traces}) and need no backend. It declares no budgets: those a running Hearth declared stay.
     * The caller closes it.
     */
    public static Ledger openLedger(Map<String, String> env) {
        return Ledger.open(LedgerConfig.fromEnvironment(env).withoutDeclaring());
    }

    /**
     * The model catalog: {@code HEARTH_CATALOG}, else {@code models/catalog.toml} under the install
     * ({@code hearth.root}). A missing or unreadable one fails with what to set.
     */
    public static dev.hearth.host.Catalog catalog(Map<String, String> env) throws java.io.IOException {
        return HearthSetup.catalog(env);
    }

    /** The catalog's entry for {@code name}; empty when the catalog lacks it. */
    public Optional<dev.hearth.host.Catalog.Entry> catalogEntry(String name) throws java.io.IOException {
        return backends.catalog().find(name);
    }

    /**
     * Pulls a model of the catalog into the model cache (resuming, verifying the catalog's sha256, never replacing a
     * good file with a bad one), telling {@code progress} the bytes so far. A name the catalog lacks is an
     * {@link IllegalArgumentException} that says where to look.
     */
    public dev.hearth.host.ModelPuller.Result pull(String name, dev.hearth.host.ModelPuller.Progress progress)
            throws java.io.IOException, InterruptedException {
        var entry = catalogEntry(name).orElseThrow(() -> new IllegalArgumentException("no model " + name
                + " in the catalog; `hearth models list` shows them"));
        return new dev.hearth.host.ModelPuller(backends.store(), this::unreadable).pull(name, entry.uri(),
                entry.sha256() == null ? "" : entry.sha256(), progress);
    }

    /** The host of local models: RAM budget from HEARTH_RAM_BUDGET_GIB (default: the host's share of RAM). */
    public ModelHost host() {
        return backends.host();
    }

    /**
     * How long a loaded local model stays loaded after its last use, as a client's latest request asks (Ollama's
     * {@code keep_alive}): zero unloads it once no request uses it, a negative one keeps it until the host closes. A
     * model that is not loaded stays unloaded, and a remote one has nothing to keep; the next request that gives no
     * keep-alive brings back the host's own.
     */
    public void keepAlive(String model, java.time.Duration keepAlive) throws InterruptedException {
        ModelProfile p = router.registry().find(model).filter(ModelProfile::local).orElse(null);
        if (p != null && backends.host().loaded().stream().anyMatch(m -> m.id().equals(p.id()))) {
            backends.host().lease(backends.spec(p), keepAlive).close();
        }
    }

    /** Loads a local model now (it then stays for the host's keep-alive); a remote or unknown one is refused. */
    public void load(String model) throws InterruptedException {
        ModelProfile p = router.registry().find(model).filter(ModelProfile::local).orElseThrow(() ->
                new IllegalArgumentException(model + " is not a local model here; GET /v1/models lists the models"));
        backends.host().lease(backends.spec(p), null).close();
    }

    /** Unloads a local model as soon as no request uses it (a model that is not loaded stays so). */
    public void unload(String model) throws InterruptedException {
        keepAlive(model, java.time.Duration.ZERO);
    }

    /**
     * Removes a model file from the model cache, unloading it first; false when the cache has no model of that name.
     */
    public boolean removeModel(String name) throws java.io.IOException, InterruptedException {
        unload(name);
        return backends.store().remove(name);
    }

    /**
     * The settings this Hearth runs with (its environment's Hearth, strategy, model and vendor variables, hearth.toml's
     * laid under them), each secret — a key, a token, a password, a database URL's credentials — masked.
     */
    public java.util.SortedMap<String, String> configuration() {
        return backends.configuration();
    }

    @Override
    public void close() {
        try {
            try {
                rescans.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Hearth.class).debug("discovery scans stopped: {}", e.getMessage());
            }
            calls.close();
            backends.close();
        } finally {
            synchronized (this) {
                if (ledger != null) {
                    ledger.close();
                }
            }
        }
    }
}
