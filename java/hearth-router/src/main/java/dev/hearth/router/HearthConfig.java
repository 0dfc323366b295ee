package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code hearth.toml}: settings (strategy, allow_external, privacy, monthly_budget_usd, prefer_local, local_model,
 * claude_model, reasoning_model, local_enabled, preset, license_level, allowed_licenses; hearth serve's host, port and
 * cors_origins), extra models ({@code [[model]]}, e.g. a vLLM server), budgets per
 * scope and period ({@code [[budget]]}), a default model
 * per task class ({@code [defaults]}), fallback chains ({@code [fallbacks]}) and agents ({@code [agents]}: a name → a
 * model or a task class), tournaments for critical task classes or agents ({@code [tournament]}), where models are
 * found without being declared ({@code [discovery]}: folders and servers, {@link DiscoveryConfig}); a model may set
 * its backend's own options (an ONNX model's {@code chat_format} when its template does not say; a GGUF model's
 * {@code speculation} and {@code draft_model}), which its backend checks ({@link #checkOptions}). A model's
 * {@code base_url} and
 * {@code api_key_env} are its {@link Endpoint}: they belong to that model alone, never to its provider's other models;
 * {@code endpoints} (a list of base URLs, instead of {@code base_url}) makes it a pool of servers ({@link EndpointPool}).
 * A model's {@code license} is its licence ({@link ModelLicences}). Environment variables win over the file. Anything the file gets wrong (an unknown setting, section or key, a value
 * of the wrong type, a name nothing knows) fails at start with its line and the valid choices ({@link ConfigShape}).
 */
public record HearthConfig(Map<String, String> settings, List<ModelProfile> models, Map<String, Endpoint> endpoints,
        Map<TaskClass, String> defaults, Map<String, List<String>> fallbacks, Map<String, String> agents,
        Map<String, Map<String, String>> modelOptions, List<BudgetLine> budgets, Map<String, String> licences,
        Tournaments tournament, DiscoveryConfig discovery) {
    /**
     * The file's {@code [tournament]}: requests of a {@code critical} task class or agent are answered by a tournament
     * of {@code models} (none: {@code n} chosen for diversity), stopping once {@code until_agree} agree (0: never
     * early), text answers agreeing at a cosine similarity of {@code threshold}.
     */
    public record Tournaments(List<String> critical, List<String> models, int n, int untilAgree, double threshold) {
        public static final Tournaments NONE = new Tournaments(List.of(), List.of(), 3, 0, 0.85);

        public Tournaments {
            critical = List.copyOf(critical);
            models = List.copyOf(models);
        }

        /** Whether requests of {@code taskClass} (lower case) or of {@code agent} (may be null) are critical. */
        public boolean critical(String taskClass, String agent) {
            return critical.stream().anyMatch(c -> c.equals(agent) || (parseClass(c) != null
                    && parseClass(c).name().toLowerCase(Locale.ROOT).equals(taskClass)));
        }
    }

    /** Keys of a [[model]] that are its backend's, not the router's. */
    static final List<String> BACKEND_OPTIONS = List.of("chat_format", "speculation", "draft_model");

    /**
     * Where one model is reached when the file gives it a base URL, and the environment variable its key is in.
     *
     * @param provider  the model's provider (its wire format)
     * @param baseUrl   the model's {@code base_url}
     * @param apiKeyEnv the model's {@code api_key_env}, or null: the server takes no key (unless it is the vendor's own
     *                  host, which takes the vendor's key)
     */
    public record Endpoint(String provider, URI baseUrl, String apiKeyEnv, List<URI> pool) {
        /**
         * @param pool the servers of a pool ({@code endpoints} of the [[model]]; {@code baseUrl} is its first), or just
         *             {@code baseUrl}
         */
        public Endpoint {
            pool = pool == null || pool.isEmpty() ? List.of(baseUrl) : List.copyOf(pool);
        }

        /** One server. */
        public Endpoint(String provider, URI baseUrl, String apiKeyEnv) {
            this(provider, baseUrl, apiKeyEnv, List.of(baseUrl));
        }

        /** Whether several servers serve the model, balanced by an {@link EndpointPool}. */
        public boolean pooled() {
            return pool.size() > 1;
        }

        /** Whether the key it needs is there: it names none, or its variable is set. */
        public boolean keyPresent(Map<String, String> env) {
            return apiKeyEnv == null || (env.get(apiKeyEnv) != null && !env.get(apiKeyEnv).isBlank());
        }
    }

    /**
     * A {@code [[budget]]} of the file, checked for shape: {@code scope} is global, key, agent, provider or model,
     * {@code name} the scope's ({@code *} for global), {@code period} day or month; amounts in US dollars. The ledger
     * holds the money; the runtime hands it these.
     */
    public record BudgetLine(String scope, String name, String period, java.math.BigDecimal limitUsd,
            java.math.BigDecimal softUsd) {
    }

    /** What a backend says of an option it was given: what is wrong, and the values it would take. */
    public record OptionProblem(String message, java.util.Collection<String> choices) {
    }

    /** A backend's check of one model's option; empty when the option is fine. */
    @FunctionalInterface
    public interface OptionCheck {
        java.util.Optional<OptionProblem> check(ModelProfile model, String key, String value);
    }

    public static HearthConfig empty() {
        return new HearthConfig(Map.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(),
                Map.of(), Tournaments.NONE, DiscoveryConfig.NONE);
    }

    /** The file's settings under the environment variable names; the real environment is laid over them. */
    public Map<String, String> environment(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        settings.forEach((k, v) -> merged.put(ConfigShape.envName(k), v));
        merged.putAll(env);
        return merged;
    }

    /** Whether the file chooses a strategy. */
    public boolean setsStrategy() {
        return settings.containsKey("strategy");
    }

    /** Providers the file declares a server of ({@code [[model]]}s with a base_url), which PROVIDER:MODEL may name. */
    public Set<String> servers() {
        Set<String> out = new java.util.TreeSet<>();
        endpoints.values().forEach(e -> out.add(e.provider()));
        return out;
    }

    /**
     * The server a user's {@code PROVIDER:MODEL} reaches when PROVIDER is no vendor's but the file declares models
     * of it: the declared model of that name's endpoint, else the one endpoint all of PROVIDER's models share; empty
     * when the file declares no server of PROVIDER. Refused, naming the models, when PROVIDER's models are on several.
     */
    public Optional<Endpoint> server(String provider, String model) {
        List<ModelProfile> of = models.stream().filter(m -> m.provider().equals(provider)
                && endpoints.containsKey(m.id())).toList();
        Optional<ModelProfile> same = of.stream().filter(m -> m.model().equals(model)).findFirst();
        if (same.isPresent()) {
            return Optional.of(endpoints.get(same.get().id()));
        }
        Set<Endpoint> distinct = new java.util.HashSet<>();
        of.forEach(m -> distinct.add(endpoints.get(m.id())));
        if (distinct.size() > 1) {
            throw new IllegalArgumentException(provider + ":" + model + " could be on any of the servers of "
                    + of.stream().map(ModelProfile::id).toList() + " in hearth.toml; name one of those models, or"
                    + " declare " + model + " as a [[model]] with its own base_url");
        }
        return distinct.stream().findFirst();
    }

    public static HearthConfig load(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid TOML: " + e.getMessage(), e);
        }
        ConfigShape shape = new ConfigShape(file, text);
        Map<String, String> settings = shape.settings(root);
        List<ModelProfile> models = new ArrayList<>();
        Map<String, Endpoint> endpoints = new HashMap<>();
        Map<String, Map<String, String>> modelOptions = new HashMap<>();
        Map<String, String> licences = new HashMap<>();
        for (JsonNode m : root.path("model")) {
            String id = shape.model(m);
            if (models.stream().anyMatch(p -> p.id().equals(id))) {
                throw shape.error(null, "\"" + id + "\"", "two [[model]]s have the id \"" + id + "\"; give each"
                        + " its own", List.of());
            }
            Set<TaskClass> strengths = classes(shape, m.path("strengths"));
            Set<TaskClass> weaknesses = classes(shape, m.path("weaknesses"));
            boolean onnx = m.path("provider").asText().equals("onnx"); // a local ONNX generator: plain text only
            int context = m.path("context").asInt(onnx ? 2048 : 32768);
            int maxOutput = m.path("max_output").asInt(context);
            if (context < 1 || maxOutput < 1) {
                throw shape.error(id, context < 1 ? "context" : "max_output", "model " + id
                        + ": context and max_output must be at least 1 token", List.of());
            }
            models.add(new ModelProfile(id, m.path("provider").asText(), m.path("model").asText(id),
                    onnx || m.path("local").asBoolean(false), strengths, weaknesses, m.path("quality").asDouble(0.5),
                    context, !onnx && m.path("tools").asBoolean(true), !onnx && m.path("json_schema").asBoolean(true),
                    m.path("input_price").asDouble(0), m.path("output_price").asDouble(0), maxOutput));
            for (String key : BACKEND_OPTIONS) {
                if (m.hasNonNull(key)) {
                    modelOptions.computeIfAbsent(id, k -> new HashMap<>()).put(key, m.path(key).asText().strip());
                }
            }
            shape.endpoint(m).ifPresent(e -> endpoints.put(id, e));
            if (m.hasNonNull("license")) {
                licences.put(id, m.path("license").asText().strip());
            }
        }
        Map<TaskClass, String> defaults = new HashMap<>();
        for (var it = root.path("defaults").fields(); it.hasNext(); ) {
            var e = it.next();
            defaults.put(taskClass(shape, e.getKey()), e.getValue().asText());
        }
        Map<String, List<String>> fallbacks = new HashMap<>();
        for (var it = root.path("fallbacks").fields(); it.hasNext(); ) {
            var e = it.next();
            List<String> chain = new ArrayList<>();
            e.getValue().forEach(v -> chain.add(v.asText()));
            fallbacks.put(e.getKey(), List.copyOf(chain));
        }
        Map<String, String> agents = new HashMap<>();
        for (var it = root.path("agents").fields(); it.hasNext(); ) {
            var e = it.next();
            agents.put(e.getKey(), e.getValue().asText());
        }
        List<BudgetLine> budgets = new ArrayList<>();
        for (JsonNode b : root.path("budget")) {
            BudgetLine line = shape.budget(b);
            if (budgets.stream().anyMatch(o -> o.scope().equals(line.scope()) && o.name().equals(line.name())
                    && o.period().equals(line.period()))) {
                throw shape.error(null, line.name(), "two [[budget]]s for " + line.scope() + " " + line.name()
                        + " per " + line.period() + "; keep one", List.of());
            }
            budgets.add(line);
        }
        return new HearthConfig(settings, models, endpoints, defaults, fallbacks, agents, modelOptions,
                List.copyOf(budgets), Map.copyOf(licences), shape.tournament(root.path("tournament"), agents.keySet()),
                DiscoveryConfig.read(shape, root.path("discovery")));
    }

    /** Has each model's backend check the options the file gives it; fails with the line and the valid choices. */
    public void checkOptions(Path file, OptionCheck check) throws IOException {
        String text = Files.readString(file);
        for (ModelProfile model : models) {
            for (var option : modelOptions.getOrDefault(model.id(), Map.of()).entrySet()) {
                var problem = check.check(model, option.getKey(), option.getValue());
                if (problem.isPresent()) {
                    throw new ConfigShape(file, text).error(model.id(), option.getValue(), problem.get().message(),
                            problem.get().choices());
                }
            }
        }
    }

    /** Checks every model the file names against the registry; fails with the line and the known models. */
    void check(Path file, ModelRegistry registry) throws IOException {
        String text = Files.readString(file);
        List<String> known = registry.all().stream().map(ModelProfile::id).toList();
        List<String> named = new ArrayList<>(defaults.values());
        fallbacks.forEach((k, v) -> {
            named.add(k);
            named.addAll(v);
        });
        agents.values().stream().filter(v -> parseClass(v) == null).forEach(named::add);
        named.addAll(tournament.models());
        for (String id : named) {
            if (registry.find(id).isEmpty()) {
                throw new ConfigShape(file, text).error(null, id, "unknown model \"" + id + "\"", known);
            }
        }
    }

    private static Set<TaskClass> classes(ConfigShape shape, JsonNode array) throws IOException {
        Set<TaskClass> out = EnumSet.noneOf(TaskClass.class);
        for (JsonNode n : array) {
            out.add(taskClass(shape, n.asText()));
        }
        return out;
    }

    private static TaskClass taskClass(ConfigShape shape, String name) throws IOException {
        TaskClass c = parseClass(name);
        if (c == null) {
            throw shape.error(null, name, "unknown task class \"" + name + "\"",
                    List.of(TaskClass.values()).stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
        }
        return c;
    }

    static TaskClass parseClass(String name) {
        try {
            return TaskClass.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
