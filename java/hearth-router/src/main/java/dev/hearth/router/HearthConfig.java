package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code hearth.toml}: settings (strategy, allow_external, privacy, monthly_budget_usd, prefer_local, local_model,
 * claude_model, reasoning_model), extra models ({@code [[model]]}, e.g. a vLLM server), a default model per task class
 * ({@code [defaults]}), fallback chains ({@code [fallbacks]}) and agents ({@code [agents]}: a name → a model or a task
 * class); a model may set its backend's own options (an ONNX model's {@code chat_format} when its template does not
 * say), which its backend checks ({@link #checkOptions}). Environment variables win over the file. A name the file gets wrong fails at start with its line and the
 * valid choices.
 */
public record HearthConfig(Map<String, String> settings, List<ModelProfile> models, Map<String, String> baseUrls,
        Map<TaskClass, String> defaults, Map<String, List<String>> fallbacks, Map<String, String> agents,
        Map<String, Map<String, String>> modelOptions) {
    /** Keys of a [[model]] that are its backend's, not the router's. */
    private static final List<String> BACKEND_OPTIONS = List.of("chat_format");

    /** What a backend says of an option it was given: what is wrong, and the values it would take. */
    public record OptionProblem(String message, java.util.Collection<String> choices) {
    }

    /** A backend's check of one model's option; empty when the option is fine. */
    @FunctionalInterface
    public interface OptionCheck {
        java.util.Optional<OptionProblem> check(ModelProfile model, String key, String value);
    }

    private static final Map<String, String> ENV_NAMES = Map.of("strategy", "LLM_STRATEGY",
            "allow_external", "HEARTH_ALLOW_EXTERNAL", "privacy", "HEARTH_PRIVACY",
            "monthly_budget_usd", "HEARTH_MONTHLY_BUDGET_USD", "prefer_local", "HEARTH_PREFER_LOCAL",
            "local_model", "LOCAL_MODEL_NAME", "claude_model", "CLAUDE_MODEL", "reasoning_model", "REASONING_MODEL",
            "local_enabled", "LOCAL_LLM_ENABLED");

    public static HearthConfig empty() {
        return new HearthConfig(Map.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** The file's settings under the environment variable names; the real environment is laid over them. */
    public Map<String, String> environment(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        settings.forEach((k, v) -> merged.put(ENV_NAMES.get(k), v));
        merged.putAll(env);
        return merged;
    }

    public static HearthConfig load(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid TOML: " + e.getMessage(), e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<ModelProfile> models = new ArrayList<>();
        Map<String, String> baseUrls = new HashMap<>();
        Map<String, Map<String, String>> modelOptions = new HashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isValueNode()) {
                if (!ENV_NAMES.containsKey(e.getKey())) {
                    throw error(file, text, e.getKey(), "unknown setting \"" + e.getKey() + "\"", ENV_NAMES.keySet());
                }
                settings.put(e.getKey(), e.getValue().asText());
            }
        }
        if (settings.containsKey("strategy") && !Policies.names().contains(settings.get("strategy"))) {
            throw error(file, text, settings.get("strategy"), "unknown strategy \"" + settings.get("strategy") + "\"",
                    Policies.names());
        }
        for (JsonNode m : root.path("model")) {
            String id = m.path("id").asText("");
            if (id.isEmpty() || !m.hasNonNull("provider")) {
                throw error(file, text, "[[model]]", "a [[model]] needs an id and a provider", List.of());
            }
            Set<TaskClass> strengths = classes(file, text, m.path("strengths"));
            Set<TaskClass> weaknesses = classes(file, text, m.path("weaknesses"));
            boolean onnx = m.path("provider").asText().equals("onnx"); // a local ONNX generator: plain text only
            int context = m.path("context").asInt(onnx ? 2048 : 32768);
            int maxOutput = m.path("max_output").asInt(context);
            if (context < 1 || maxOutput < 1) {
                throw error(file, text, id, "model " + id + ": context and max_output must be at least 1 token",
                        List.of());
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
            if (m.hasNonNull("base_url")) {
                baseUrls.put(m.path("provider").asText(), m.path("base_url").asText());
            }
        }
        Map<TaskClass, String> defaults = new HashMap<>();
        for (var it = root.path("defaults").fields(); it.hasNext(); ) {
            var e = it.next();
            defaults.put(taskClass(file, text, e.getKey()), e.getValue().asText());
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
        return new HearthConfig(settings, models, baseUrls, defaults, fallbacks, agents, modelOptions);
    }

    /** Has each model's backend check the options the file gives it; fails with the line and the valid choices. */
    public void checkOptions(Path file, OptionCheck check) throws IOException {
        String text = Files.readString(file);
        for (ModelProfile model : models) {
            for (var option : modelOptions.getOrDefault(model.id(), Map.of()).entrySet()) {
                var problem = check.check(model, option.getKey(), option.getValue());
                if (problem.isPresent()) {
                    throw error(file, text, option.getValue(), problem.get().message(), problem.get().choices());
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
        for (String id : named) {
            if (registry.find(id).isEmpty()) {
                throw error(file, text, id, "unknown model \"" + id + "\"", known);
            }
        }
    }

    private static Set<TaskClass> classes(Path file, String text, JsonNode array) throws IOException {
        Set<TaskClass> out = EnumSet.noneOf(TaskClass.class);
        for (JsonNode n : array) {
            out.add(taskClass(file, text, n.asText()));
        }
        return out;
    }

    private static TaskClass taskClass(Path file, String text, String name) throws IOException {
        TaskClass c = parseClass(name);
        if (c == null) {
            throw error(file, text, name, "unknown task class \"" + name + "\"",
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

    private static IOException error(Path file, String text, String near, String what, java.util.Collection<String> valid) {
        int line = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(near)) {
                line = i + 1;
                break;
            }
        }
        return new IOException(file + (line > 0 ? " line " + line : "") + ": " + what
                + (valid.isEmpty() ? "" : "; valid: " + valid));
    }
}
