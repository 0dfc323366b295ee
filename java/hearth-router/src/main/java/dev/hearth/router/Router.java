package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.Dollars;
import dev.hearth.api.EmbeddingBackend;
import java.util.List;
import java.util.Map;

/**
 * One explainable decision per request: the request's own model when it names one (the user's override always
 * wins, within the privacy rules), else the configured policy's choice for its task class.
 */
public final class Router {
    /** The model name that asks the router to choose. */
    public static final String AUTO = "auto";

    private final ModelRegistry registry;
    private final TaskClassifier classifier;
    private final RoutingPolicy policy;
    private final RouterConfig config;
    private final HearthConfig file;
    private volatile HealthTracker health;
    private volatile Measurements speeds = new Measurements();
    private volatile Preset preset;
    private volatile ModelLocks locks = new ModelLocks(java.time.Clock.systemUTC(), ModelLocks.DEFAULT_IDLE);
    private volatile LicencePolicy licencePolicy = LicencePolicy.ANY;
    private final ModelLicences licences;

    public Router(ModelRegistry registry, TaskClassifier classifier, RoutingPolicy policy, RouterConfig config) {
        this(registry, classifier, policy, config, HearthConfig.empty());
    }

    public Router(ModelRegistry registry, TaskClassifier classifier, RoutingPolicy policy, RouterConfig config,
            HearthConfig file) {
        this.registry = registry;
        this.classifier = classifier;
        this.policy = policy;
        this.config = config;
        this.file = file;
        this.licences = new ModelLicences(file.licences());
    }

    /**
     * The rules laid over every policy, from the environment: the default preset ({@code HEARTH_PRESET}), the licence
     * policy ({@code HEARTH_ALLOWED_LICENSES}, {@code HEARTH_LICENSE_LEVEL}) and how long a model lock lasts without a
     * turn ({@code HEARTH_LOCK_IDLE_MINUTES}); a bad value fails here, with the choices.
     */
    public Router configure(Map<String, String> env) {
        String named = env.get("HEARTH_PRESET");
        this.preset = named == null || named.isBlank() ? null : Preset.named(named, "HEARTH_PRESET");
        this.licencePolicy = LicencePolicy.fromEnvironment(env);
        this.locks = ModelLocks.fromEnvironment(env);
        // on the registry, so a router made over it for a single question (an orchestrator's tier) keeps the rule
        registry.permit(p -> licencePolicy.allowsEverything() || licencePolicy.allows(licences.of(p)));
        return this;
    }

    /**
     * From a {@code hearth.toml} and the environment, which wins. The file's models join the built-in ones (a
     * model with its own base URL needs the key its {@code api_key_env} names, or none); every model the file names
     * must exist.
     */
    public static Router fromConfig(java.nio.file.Path path, Map<String, String> env) throws java.io.IOException {
        return fromConfig(path, env, null);
    }

    /** As {@link #fromConfig(java.nio.file.Path, Map)}, with the embedder a semantic classifier uses (null: none). */
    public static Router fromConfig(java.nio.file.Path path, Map<String, String> env,
            java.util.function.Supplier<EmbeddingBackend> embedder) throws java.io.IOException {
        HearthConfig file = HearthConfig.load(path);
        Map<String, String> merged = file.environment(env);
        RouterConfig config = RouterConfig.fromEnvironment(merged);
        ModelRegistry builtIn = ModelRegistry.fromEnvironment(merged);
        java.util.List<ModelProfile> all = new java.util.ArrayList<>(builtIn.all());
        all.removeIf(p -> file.models().stream().anyMatch(m -> m.id().equals(p.id())));
        all.addAll(file.models());
        boolean localEnabled = dev.hearth.api.Settings.flag(merged, "LOCAL_LLM_ENABLED", true);
        java.util.Set<String> declared = new java.util.HashSet<>();
        all.forEach(p -> declared.add(p.id()));
        ModelRegistry registry = new ModelRegistry(all, p -> p.local() ? localEnabled
                : keyed(file, merged, p, declared.contains(p.id())));
        file.check(path, registry);
        return new Router(registry, classifier(merged, embedder), Policies.named(config.strategy()), config, file)
                .configure(merged);
    }

    /**
     * Whether a remote model has the key it needs: its own server's (a [[model]] with a base_url), else its vendor's,
     * else, for a PROVIDER:MODEL a user named that no configuration declares, that of the server the file declares
     * for PROVIDER.
     */
    private static boolean keyed(HearthConfig file, Map<String, String> env, ModelProfile p, boolean declared) {
        HearthConfig.Endpoint own = file.endpoints().get(p.id());
        if (own != null) {
            return own.keyPresent(env);
        }
        if (ModelRegistry.hasKey(env, p.provider())) {
            return true;
        }
        try {
            return !declared && file.server(p.provider(), p.model()).map(e -> e.keyPresent(env)).orElse(false);
        } catch (IllegalArgumentException onSeveralServers) {
            return true; // reaching it says which servers it could be on
        }
    }

    /** What to set so that a remote model becomes available. */
    private String missingKey(ModelProfile p) {
        HearthConfig.Endpoint own = file.endpoints().get(p.id());
        if (own != null && own.apiKeyEnv() != null) {
            return "no API key for " + p.id() + " (set " + own.apiKeyEnv() + ", which its api_key_env in hearth.toml"
                    + " names)";
        }
        return "no API key for " + p.provider() + " (set " + p.provider().toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_') + "_API_KEY)";
    }

    /** Lets decisions see which circuits are open (the facade connects its tracker). */
    public void watch(HealthTracker tracker) {
        this.health = tracker;
    }

    /** Lets the fast preset see measured times to first token (the facade connects its chain's). */
    public void measuredBy(Measurements measurements) {
        this.speeds = measurements;
    }

    /** The model locks decisions honour (in memory). */
    public ModelLocks locks() {
        return locks;
    }

    /** Replaces the lock store (for a clock of one's own); existing locks are dropped. */
    public void lockWith(ModelLocks store) {
        this.locks = java.util.Objects.requireNonNull(store, "store");
    }

    /** Each model's licence (the runtime adds where to find those of local models). */
    public ModelLicences licences() {
        return licences;
    }

    /** What licences may be used. */
    public LicencePolicy licencePolicy() {
        return licencePolicy;
    }

    /** The preset decisions use when a request names none (null: none). */
    public Preset preset() {
        return preset;
    }

    /** The configuration file's content (empty when there is none). */
    public HearthConfig file() {
        return file;
    }

    /**
     * From LLM_STRATEGY and the other variables users know; an unknown strategy fails here, with the choices.
     * {@code HEARTH_CLASSIFIER=semantic} classifies by meaning (the local embedder, a few milliseconds a request) with
     * the rules where they are certain; the default is the rules alone (microseconds).
     */
    public static Router fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, null);
    }

    /** As {@link #fromEnvironment(Map)}, with the embedder a semantic classifier uses (null: none). */
    public static Router fromEnvironment(Map<String, String> env,
            java.util.function.Supplier<EmbeddingBackend> embedder) {
        RouterConfig config = RouterConfig.fromEnvironment(env);
        return new Router(ModelRegistry.fromEnvironment(env), classifier(env, embedder),
                Policies.named(config.strategy()), config).configure(env);
    }

    private static final Map<EmbeddingBackend, SemanticClassifier> SEMANTIC = new java.util.WeakHashMap<>();

    static TaskClassifier classifier(Map<String, String> env, java.util.function.Supplier<EmbeddingBackend> embedder) {
        String kind = env.getOrDefault("HEARTH_CLASSIFIER", "rules").strip().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case "rules" -> new RuleClassifier();
            case "semantic" -> {
                if (embedder == null) {
                    throw new IllegalArgumentException("HEARTH_CLASSIFIER=semantic needs an embedding model; build the"
                            + " router through dev.hearth.runtime.Hearth, which provides the installed one");
                }
                yield new CombinedClassifier(new RuleClassifier(), semantic(embedder.get()), 0.7);
            }
            default -> throw new IllegalArgumentException("HEARTH_CLASSIFIER must be rules or semantic, not " + kind);
        };
    }

    /** One semantic classifier per embedder: the examples are embedded once. */
    private static SemanticClassifier semantic(EmbeddingBackend embedder) {
        synchronized (SEMANTIC) {
            return SEMANTIC.computeIfAbsent(embedder, SemanticClassifier::new);
        }
    }

    public RouterConfig config() {
        return config;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The decision for a request, without running it. */
    public RouteDecision explain(ChatRequest request) {
        return steer(request, RouteOptions.defaults()).decision();
    }

    /** The decision for a request with a preset or a conversation's lock, without running it. */
    public RouteDecision explain(ChatRequest request, RouteOptions options) {
        return steer(request, options).decision();
    }

    /**
     * The decision, with what the preset and any model lock did to it: the strategy decides, then hearth.toml's
     * defaults and fallbacks, the preset, the lock, the circuits and the budget. A model the request names is the
     * user's choice: no preset or lock moves it, but the licence rules may refuse it.
     */
    public Steered steer(ChatRequest request, RouteOptions options) {
        Preset chosen = options.preset() == null ? preset : Preset.named(options.preset(), "the preset");
        Classification c = classifier.classify(request);
        String asked = request.model().strip();
        if (asked.startsWith("agent:")) {
            String agent = asked.substring(6);
            String target = file.agents().get(agent);
            if (target == null) {
                return plain(new RouteDecision.Reject("unknown agent \"" + agent + "\"; hearth.toml's [agents] has "
                        + file.agents().keySet(), c), chosen);
            }
            TaskClass cls = HearthConfig.parseClass(target);
            if (cls == null) {
                asked = target; // the agent names a model
            } else {
                List<String> evidence = new java.util.ArrayList<>(c.evidence());
                evidence.add("agent " + agent + " is " + target);
                c = new Classification(cls, c.complexity(), 1.0, evidence);
                asked = AUTO;
            }
        }
        if (!asked.isEmpty() && !asked.equals(AUTO)) {
            ModelProfile p = registry.find(asked).orElse(null);
            if (p == null) {
                return plain(new RouteDecision.Reject("the request names the unknown model \"" + asked + "\"; known: "
                        + registry.all().stream().map(ModelProfile::id).toList() + ", or \"auto\"", c), chosen);
            }
            if (!registry.isAvailable(p)) {
                return plain(new RouteDecision.Reject(asked + " is not available: " + (p.local()
                        ? "local models are disabled (LOCAL_LLM_ENABLED)" : missingKey(p)), c), chosen);
            }
            if (!p.local() && !config.allowExternal()) {
                return plain(new RouteDecision.Reject(asked + " is a remote model and external providers are not allowed"
                        + " (HEARTH_ALLOW_EXTERNAL)", c), chosen);
            }
            String forbidden = forbidden(p);
            if (forbidden != null) {
                return plain(new RouteDecision.Reject(forbidden + "; name a model under an allowed licence, or change"
                        + " the rule", c), chosen);
            }
            String reason = "the request names " + asked + " (a user's choice always wins)";
            return plain(withinBudget(p.local() ? new RouteDecision.Local(p, java.util.List.of(), reason, c, 0)
                    : new RouteDecision.Remote(p, java.util.List.of(), reason, c,
                    p.cost(Policies.estimatedInputTokens(request), p.outputCap(request.maxTokens())))), chosen);
        }
        RouteDecision decided = policy.decide(request, c, registry, config);
        Presets.Result preset = Presets.apply(chosen, decided, configured(decided, request), request, config, speeds);
        ModelLocks.Applied locked = locks.apply(preset.decision(), options, registry, this::whyNot, request);
        return new Steered(withinBudget(healthy(locked.decision(), request)), chosen, preset.change(), locked.note(),
                preset.tournament());
    }

    private static Steered plain(RouteDecision d, Preset preset) {
        return new Steered(d, preset, preset == null ? "" : preset.label() + ": the request names its model, so the"
                + " preset changes nothing", "", false);
    }

    /** Why {@code p}'s licence keeps it from being used, with the licence and the rule; null when it does not. */
    private String forbidden(ModelProfile p) {
        LicencePolicy rule = licencePolicy;
        if (rule.allowsEverything()) {
            return null;
        }
        String licence = licences.of(p);
        return rule.allows(licence) ? null : p.id() + " is under the licence " + licence + " ("
                + LicenceClass.of(licence).level() + "), and " + rule.rule();
    }

    /** Why a locked model may not take this turn (null: it may). */
    private String whyNot(ModelProfile p) {
        if (!registry.isAvailable(p)) {
            return p.local() ? "local models are disabled (LOCAL_LLM_ENABLED)" : missingKey(p);
        }
        if (!p.local() && !config.allowExternal()) {
            return "external providers are not allowed (HEARTH_ALLOW_EXTERNAL)";
        }
        String forbidden = forbidden(p);
        if (forbidden != null) {
            return forbidden;
        }
        HealthTracker h = health;
        return h != null && h.health(p.id()).state().equals("open") ? "its circuit is open" : null;
    }

    /** A first choice whose circuit is open moves behind the first healthy model of its chain, said so. */
    private RouteDecision healthy(RouteDecision d, ChatRequest request) {
        HealthTracker h = health;
        if (h == null || d instanceof RouteDecision.Reject || !h.health(d.chain().getFirst().id()).state().equals("open")) {
            return d;
        }
        List<ModelProfile> chain = d.chain();
        ModelProfile ok = chain.stream().filter(p -> !h.health(p.id()).state().equals("open")).findFirst().orElse(null);
        if (ok == null) {
            return d; // every circuit is open: the chain will say so when it runs
        }
        List<ModelProfile> rest = new java.util.ArrayList<>(chain);
        rest.remove(ok);
        String reason = d.reason() + "; " + chain.getFirst().id() + "'s circuit is open, so " + ok.id() + " goes first";
        return ok.local() ? new RouteDecision.Local(ok, rest, reason, d.classification(), 0)
                : new RouteDecision.Remote(ok, rest, reason, d.classification(),
                ok.cost(Policies.estimatedInputTokens(request), ok.outputCap(request.maxTokens())));
    }

    /** hearth.toml's default model for the task class, and its fallback chain for the chosen model. */
    private RouteDecision configured(RouteDecision d, ChatRequest request) {
        if (d instanceof RouteDecision.Reject) {
            return d;
        }
        ModelProfile first = d.chain().getFirst();
        String reason = d.reason();
        String preferred = file.defaults().get(d.classification().taskClass());
        if (preferred != null) {
            ModelProfile p = registry.find(preferred).orElse(null);
            if (p != null && usable(p) && !p.id().equals(first.id())) {
                first = p;
                reason = "hearth.toml sends " + d.classification().taskClass().name().toLowerCase() + " requests to "
                        + p.id() + " (the policy chose " + d.chain().getFirst().id() + ")";
            }
        }
        List<ModelProfile> rest;
        List<String> chain = file.fallbacks().get(first.id());
        if (chain != null) {
            rest = chain.stream().map(id -> registry.find(id).orElseThrow()).filter(this::usable).toList();
        } else {
            ModelProfile chosen = first;
            rest = d.chain().stream().filter(p -> !p.id().equals(chosen.id())).toList();
        }
        if (first == d.chain().getFirst() && chain == null) {
            return d;
        }
        return first.local() ? new RouteDecision.Local(first, rest, reason, d.classification(), 0)
                : new RouteDecision.Remote(first, rest, reason, d.classification(),
                first.cost(Policies.estimatedInputTokens(request), first.outputCap(request.maxTokens())));
    }

    private boolean usable(ModelProfile p) {
        return registry.isAvailable(p) && (p.local() || config.allowExternal()) && registry.permitted(p);
    }

    /** A remote decision that would spend more than the month has left goes local, or is refused with the numbers. */
    private RouteDecision withinBudget(RouteDecision d) {
        if (!(d instanceof RouteDecision.Remote r) || !config.budget().limited()
                || r.estimatedCost() <= config.budget().remaining()) {
            return d;
        }
        String spent = "the monthly budget of " + Dollars.format(config.budget().monthlyLimit()) + " is spent ("
                + Dollars.format(config.budget().spent()) + " used; this request could cost "
                + Dollars.format(r.estimatedCost()) + ")";
        var local = r.fallbacks().stream().filter(ModelProfile::local).toList();
        if (!local.isEmpty()) {
            return new RouteDecision.Local(local.getFirst(), local.subList(1, local.size()), spent + ", so "
                    + local.getFirst().id() + " answers locally", r.classification(), 0);
        }
        return new RouteDecision.Reject(spent + "; raise HEARTH_MONTHLY_BUDGET_USD, wait for the next month, or enable a"
                + " local model", r.classification());
    }
}
