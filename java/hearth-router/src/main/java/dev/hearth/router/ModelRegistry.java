package dev.hearth.router;

import dev.hearth.api.Settings;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The models the router may choose from, and which of them are available now (a remote provider without a key is
 * unavailable, not an error; a local model needs local models enabled).
 */
public final class ModelRegistry {
    private final Map<String, ModelProfile> models = new LinkedHashMap<>();
    /** Models users named that no configuration declares: found by id, never chosen by a policy. */
    private final Map<String, ModelProfile> named = new LinkedHashMap<>();
    private final Predicate<ModelProfile> available;
    /** Whether each model discovery found on a server can be reached (its key), by id. */
    private final Map<String, Boolean> reachable = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the licence rules let policies choose (the one place candidates are filtered by licence). */
    private volatile Predicate<ModelProfile> permitted = p -> true;

    public ModelRegistry(Collection<ModelProfile> profiles, Predicate<ModelProfile> available) {
        for (ModelProfile p : profiles) {
            if (models.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("two models are named " + p.id());
            }
        }
        this.available = available;
    }

    /**
     * The built-in profiles, configured by the environment variables users already know: LOCAL_MODEL_NAME,
     * CLAUDE_MODEL, REASONING_MODEL, LOCAL_LLM_ENABLED, and the providers' API keys.
     */
    public static ModelRegistry fromEnvironment(Map<String, String> env) {
        String local = env.getOrDefault("LOCAL_MODEL_NAME", "qwen2.5-0.5b-instruct");
        String claude = env.getOrDefault("CLAUDE_MODEL", "claude-sonnet-4-6");
        String reasoning = env.getOrDefault("REASONING_MODEL", "deepseek-v4-pro");
        List<ModelProfile> profiles = List.of(
                new ModelProfile(local, "local", local, true,
                        Set.of(TaskClass.QUICK_RESPONSE, TaskClass.GENERAL, TaskClass.CREATIVE, TaskClass.EMBEDDING),
                        Set.of(TaskClass.DEEP_THINKING, TaskClass.MATH), 0.35, 32768, true, true, 0, 0, 8192),
                new ModelProfile(claude, "anthropic", claude, false,
                        Set.of(TaskClass.TOOL_USE, TaskClass.CODE, TaskClass.DEEP_THINKING, TaskClass.CREATIVE),
                        Set.of(), 0.92, 200_000, true, true, 3.0, 15.0, 64_000),
                new ModelProfile("deepseek-flash", "deepseek", "deepseek-flash", false,
                        Set.of(TaskClass.CODE, TaskClass.MATH, TaskClass.GENERAL), Set.of(), 0.8, 1_000_000, true, true,
                        0.30, 1.20, 8192),
                new ModelProfile(reasoning, "deepseek", reasoning, false,
                        Set.of(TaskClass.MATH, TaskClass.DEEP_THINKING, TaskClass.CODE), Set.of(), 0.88, 1_000_000, true,
                        true, 1.32, 3.96, 65_536));
        boolean localEnabled = Settings.flag(env, "LOCAL_LLM_ENABLED", true);
        return new ModelRegistry(profiles, p -> p.local() ? localEnabled : hasKey(env, p.provider()));
    }

    static boolean hasKey(Map<String, String> env, String provider) {
        String key = env.get(provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY");
        return key != null && !key.isBlank();
    }

    public synchronized Optional<ModelProfile> find(String id) {
        ModelProfile p = models.get(id);
        return Optional.ofNullable(p != null ? p : named.get(id));
    }

    public synchronized List<ModelProfile> all() {
        return List.copyOf(models.values());
    }

    /**
     * Adds a model a user named that no configuration declares (a GGUF path, {@code provider:model}, {@code onnx:DIR}),
     * so the router can honour the choice. Policies never pick it on their own. The same profile again is a no-op;
     * another one under a taken id is refused.
     */
    public synchronized ModelProfile register(ModelProfile p) {
        ModelProfile known = models.containsKey(p.id()) ? models.get(p.id()) : named.putIfAbsent(p.id(), p);
        if (known != null && !known.equals(p)) {
            throw new IllegalArgumentException("the model id " + p.id() + " is taken by another model ("
                    + known.provider() + ":" + known.model() + ")");
        }
        return known == null ? p : known;
    }

    public boolean isAvailable(ModelProfile p) {
        Boolean found = reachable.get(p.id());
        return found != null ? found : available.test(p);
    }

    /**
     * As {@link #register}, for a model discovery found on a server: whether it is available is what the server's
     * configuration says ({@code keyPresent}: it takes no key, or its key is set), not its provider's key.
     */
    public ModelProfile registerFound(ModelProfile p, boolean keyPresent) {
        ModelProfile kept = register(p);
        reachable.put(kept.id(), keyPresent);
        return kept;
    }

    /** Keeps policies from choosing a model {@code rule} refuses (the router's licence rules). */
    public void permit(Predicate<ModelProfile> rule) {
        this.permitted = rule;
    }

    /** Whether the licence rules let a policy choose {@code p}. */
    public boolean permitted(ModelProfile p) {
        return permitted.test(p);
    }

    /** Available models the licence rules permit, local or remote, best quality first. */
    public synchronized List<ModelProfile> available(boolean local) {
        return models.values().stream().filter(p -> p.local() == local && available.test(p) && permitted.test(p))
                .sorted((a, b) -> Double.compare(b.quality(), a.quality())).toList();
    }
}
