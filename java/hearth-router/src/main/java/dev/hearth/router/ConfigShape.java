package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code hearth.toml} may hold and the type of each value, checked before anything is read from it: a misspelled
 * setting, section or {@code [[model]]} key, or a value of the wrong type, fails with its line and the valid choices
 * instead of falling back to a default. Also the one place that finds the line an error is on. Not thread-safe: one
 * per file being read.
 */
final class ConfigShape {
    /** The types a value may have, and how a message says them. */
    private enum Kind {
        TEXT("a string in quotes"),
        FLAG("true or false, without quotes"),
        NUMBER("a number, without quotes"),
        WHOLE("a whole number, without quotes"),
        TEXTS("a list of strings, e.g. [\"code\", \"math\"]");

        private final String what;

        Kind(String what) {
            this.what = what;
        }

        boolean fits(JsonNode v) {
            return switch (this) {
                case TEXT -> v.isTextual();
                case FLAG -> v.isBoolean();
                case NUMBER -> v.isNumber();
                case WHOLE -> v.isIntegralNumber() && v.canConvertToInt();
                case TEXTS -> v.isArray() && java.util.stream.StreamSupport.stream(v.spliterator(), false)
                        .allMatch(JsonNode::isTextual);
            };
        }
    }

    /** A top-level setting: its type, and the environment variable that wins over it. */
    private record Setting(Kind kind, String env) {
    }

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();
    private static final Map<String, Kind> MODEL_KEYS = new LinkedHashMap<>();
    private static final List<String> SECTIONS = List.of("[[model]]", "[[budget]]", "[defaults]", "[fallbacks]",
            "[agents]", "[tournament]", "[discovery]");
    private static final Map<String, Kind> BUDGET_KEYS = new LinkedHashMap<>();
    /** A budget's scopes and periods, as the ledger names them (lower case). */
    static final List<String> BUDGET_SCOPES = List.of("global", "key", "agent", "provider", "model");
    static final List<String> BUDGET_PERIODS = List.of("day", "month");
    private static final List<String> PRIVACY = List.of("redact", "refuse", "allow");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static {
        SETTINGS.put("strategy", new Setting(Kind.TEXT, "LLM_STRATEGY"));
        SETTINGS.put("allow_external", new Setting(Kind.FLAG, "HEARTH_ALLOW_EXTERNAL"));
        SETTINGS.put("privacy", new Setting(Kind.TEXT, "HEARTH_PRIVACY"));
        SETTINGS.put("monthly_budget_usd", new Setting(Kind.NUMBER, "HEARTH_MONTHLY_BUDGET_USD"));
        SETTINGS.put("prefer_local", new Setting(Kind.FLAG, "HEARTH_PREFER_LOCAL"));
        SETTINGS.put("local_model", new Setting(Kind.TEXT, "LOCAL_MODEL_NAME"));
        SETTINGS.put("claude_model", new Setting(Kind.TEXT, "CLAUDE_MODEL"));
        SETTINGS.put("reasoning_model", new Setting(Kind.TEXT, "REASONING_MODEL"));
        SETTINGS.put("local_enabled", new Setting(Kind.FLAG, "LOCAL_LLM_ENABLED"));
        SETTINGS.put("preset", new Setting(Kind.TEXT, "HEARTH_PRESET"));
        SETTINGS.put("license_level", new Setting(Kind.TEXT, "HEARTH_LICENSE_LEVEL"));
        SETTINGS.put("allowed_licenses", new Setting(Kind.TEXT, "HEARTH_ALLOWED_LICENSES"));
        // the response cache's (the runtime checks the values)
        SETTINGS.put("cache", new Setting(Kind.TEXT, "HEARTH_CACHE"));
        SETTINGS.put("cache_ttl_seconds", new Setting(Kind.WHOLE, "HEARTH_CACHE_TTL_SECONDS"));
        SETTINGS.put("cache_max_entries", new Setting(Kind.WHOLE, "HEARTH_CACHE_MAX_ENTRIES"));
        SETTINGS.put("cache_store", new Setting(Kind.TEXT, "HEARTH_CACHE_STORE"));
        SETTINGS.put("cache_shared", new Setting(Kind.FLAG, "HEARTH_CACHE_SHARED"));
        SETTINGS.put("cache_semantic", new Setting(Kind.TEXT, "HEARTH_CACHE_SEMANTIC"));
        SETTINGS.put("cache_similarity", new Setting(Kind.NUMBER, "HEARTH_CACHE_SIMILARITY"));
        // hearth serve's
        SETTINGS.put("kv_cache_type", new Setting(Kind.TEXT, "HEARTH_KV_CACHE_TYPE"));
        SETTINGS.put("host", new Setting(Kind.TEXT, "HEARTH_HOST"));
        SETTINGS.put("port", new Setting(Kind.WHOLE, "HEARTH_PORT"));
        SETTINGS.put("cors_origins", new Setting(Kind.TEXT, "HEARTH_CORS_ORIGINS"));
        for (String k : List.of("id", "provider", "model", "base_url", "api_key_env", "license")) {
            MODEL_KEYS.put(k, Kind.TEXT);
        }
        HearthConfig.BACKEND_OPTIONS.forEach(k -> MODEL_KEYS.put(k, Kind.TEXT));
        for (String k : List.of("local", "tools", "json_schema")) {
            MODEL_KEYS.put(k, Kind.FLAG);
        }
        for (String k : List.of("quality", "input_price", "output_price")) {
            MODEL_KEYS.put(k, Kind.NUMBER);
        }
        MODEL_KEYS.put("context", Kind.WHOLE);
        MODEL_KEYS.put("max_output", Kind.WHOLE);
        MODEL_KEYS.put("strengths", Kind.TEXTS);
        MODEL_KEYS.put("weaknesses", Kind.TEXTS);
        MODEL_KEYS.put("endpoints", Kind.TEXTS);
        BUDGET_KEYS.put("scope", Kind.TEXT);
        BUDGET_KEYS.put("name", Kind.TEXT);
        BUDGET_KEYS.put("period", Kind.TEXT);
        BUDGET_KEYS.put("limit_usd", Kind.NUMBER);
        BUDGET_KEYS.put("soft_usd", Kind.NUMBER);
    }

    private final Path file;
    private final String text;

    ConfigShape(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The environment variable a setting of the file stands for. */
    static String envName(String setting) {
        return SETTINGS.get(setting).env();
    }

    /** Checks the top level (settings and sections) and returns the settings as text. */
    Map<String, String> settings(JsonNode root) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "model" -> {
                    if (!v.isArray() || !java.util.stream.StreamSupport.stream(v.spliterator(), false)
                            .allMatch(JsonNode::isObject)) {
                        throw error(null, "model", "models are [[model]] tables (two brackets), one per model", List.of());
                    }
                }
                case "budget" -> {
                    if (!v.isArray() || !java.util.stream.StreamSupport.stream(v.spliterator(), false)
                            .allMatch(JsonNode::isObject)) {
                        throw error(null, "budget", "budgets are [[budget]] tables (two brackets), one per budget",
                                List.of());
                    }
                }
                case "defaults", "agents" -> table(key, v, Kind.TEXT);
                case "fallbacks" -> table(key, v, Kind.TEXTS);
                case "tournament" -> { } // read with the agents it may name: tournament()
                case "discovery" -> { } // read by DiscoveryConfig.read
                default -> {
                    Setting s = SETTINGS.get(key);
                    if (s == null) {
                        throw v.isObject() ? error(null, key, "unknown section [" + key + "]", SECTIONS)
                                : error(null, key, "unknown setting \"" + key + "\"", SETTINGS.keySet());
                    }
                    if (!s.kind().fits(v)) {
                        throw error(null, key, key + " must be " + s.kind().what + ", not " + v, List.of());
                    }
                    out.put(key, v.asText());
                }
            }
        }
        String strategy = out.get("strategy");
        if (strategy != null && !Policies.names().contains(strategy)) {
            throw error(null, strategy, "unknown strategy \"" + strategy + "\"", Policies.names());
        }
        String preset = out.get("preset");
        if (preset != null && !Preset.names().contains(preset)) {
            throw error(null, "preset", "unknown preset \"" + preset + "\"", Preset.names());
        }
        String level = out.get("license_level");
        if (level != null) {
            try {
                LicenceClass.level(level);
            } catch (IllegalArgumentException e) {
                throw error(null, "license_level", "unknown license_level \"" + level + "\"",
                        List.of("permissive", "open-weights", "research", "any"));
            }
        }
        String kv = out.get("kv_cache_type");
        if (kv != null && !dev.hearth.api.spi.KvCacheType.wireNames().contains(kv)) {
            throw error(null, "kv_cache_type", "unknown kv_cache_type \"" + kv + "\" (the local engines' KV cache"
                    + " type)", dev.hearth.api.spi.KvCacheType.wireNames());
        }
        String privacy = out.get("privacy");
        if (privacy != null && !PRIVACY.contains(privacy)) {
            throw error(null, "privacy", "unknown privacy \"" + privacy + "\"", PRIVACY);
        }
        if (out.containsKey("monthly_budget_usd") && root.path("monthly_budget_usd").asDouble() < 0) {
            throw error(null, "monthly_budget_usd", "monthly_budget_usd must be 0 or more dollars", List.of());
        }
        return out;
    }

    /**
     * Checks {@code [tournament]} ({@code critical}: task classes or agents; {@code models}; {@code n} at least 2;
     * {@code until_agree} 0 or 2 to n; {@code threshold} above 0 and at most 1) and returns it.
     */
    HearthConfig.Tournaments tournament(JsonNode v, java.util.Set<String> agents) throws IOException {
        if (v.isMissingNode()) {
            return HearthConfig.Tournaments.NONE;
        }
        if (!v.isObject()) {
            throw error(null, "tournament", "tournament must be a table: [tournament] on a line of its own",
                    List.of());
        }
        Map<String, Kind> keys = new LinkedHashMap<>();
        keys.put("critical", Kind.TEXTS);
        keys.put("models", Kind.TEXTS);
        keys.put("n", Kind.WHOLE);
        keys.put("until_agree", Kind.WHOLE);
        keys.put("threshold", Kind.NUMBER);
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            Kind kind = keys.get(e.getKey());
            if (kind == null) {
                throw error("[tournament]", e.getKey(), "[tournament]: unknown key \"" + e.getKey() + "\"",
                        keys.keySet());
            }
            if (!kind.fits(e.getValue())) {
                throw error("[tournament]", e.getKey(), "[tournament] " + e.getKey() + " must be " + kind.what
                        + ", not " + e.getValue(), List.of());
            }
        }
        List<String> critical = new java.util.ArrayList<>();
        v.path("critical").forEach(c -> critical.add(c.asText().strip()));
        for (String c : critical) {
            if (HearthConfig.parseClass(c) == null && !agents.contains(c)) {
                throw error("[tournament]", c, "[tournament] critical: \"" + c + "\" is neither a task class nor an"
                        + " agent of [agents]", java.util.stream.Stream.concat(java.util.Arrays.stream(
                        TaskClass.values()).map(t -> t.name().toLowerCase(java.util.Locale.ROOT)), agents.stream())
                        .toList());
            }
        }
        List<String> models = new java.util.ArrayList<>();
        v.path("models").forEach(m -> models.add(m.asText().strip()));
        int n = models.isEmpty() ? v.path("n").asInt(3) : models.size();
        int k = v.path("until_agree").asInt(0);
        double threshold = v.path("threshold").asDouble(0.85);
        if (n < 2) {
            throw error("[tournament]", "n", "[tournament] needs at least 2 models (n or models)", List.of());
        }
        if (k != 0 && (k < 2 || k > n)) {
            throw error("[tournament]", "until_agree", "[tournament] until_agree must be 0 or between 2 and " + n,
                    List.of());
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw error("[tournament]", "threshold", "[tournament] threshold is a cosine similarity above 0 and at"
                    + " most 1", List.of());
        }
        return new HearthConfig.Tournaments(critical, models, n, k, threshold);
    }

    private void table(String section, JsonNode v, Kind kind) throws IOException {
        if (!v.isObject()) {
            throw error(null, section, section + " must be a table: [" + section + "] on a line of its own, then"
                    + " name = value lines", List.of());
        }
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!kind.fits(e.getValue())) {
                throw error("[" + section + "]", e.getKey(), "[" + section + "] " + e.getKey() + " must be "
                        + kind.what + ", not " + e.getValue(), List.of());
            }
        }
    }

    /** Checks one [[model]]'s keys and their types; returns its id. */
    String model(JsonNode m) throws IOException {
        String id = m.path("id").isTextual() ? m.path("id").asText().strip() : "";
        if (id.isEmpty() || !m.path("provider").isTextual() || m.path("provider").asText().isBlank()) {
            throw error(null, "[[model]]", "a [[model]] needs an id and a provider, both strings", List.of());
        }
        for (var it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            Kind kind = MODEL_KEYS.get(e.getKey());
            if (kind == null) {
                throw error(id, e.getKey(), "[[model]] \"" + id + "\": unknown key \"" + e.getKey() + "\"",
                        MODEL_KEYS.keySet());
            }
            if (!kind.fits(e.getValue())) {
                throw error(id, e.getKey(), "[[model]] \"" + id + "\": " + e.getKey() + " must be " + kind.what
                        + ", not " + e.getValue(), List.of());
            }
        }
        double quality = m.path("quality").asDouble(0.5);
        if (quality < 0 || quality > 1) {
            throw error(id, "quality", "[[model]] \"" + id + "\": quality must be between 0 and 1", List.of());
        }
        for (String price : List.of("input_price", "output_price")) {
            if (m.path(price).asDouble(0) < 0) {
                throw error(id, price, "[[model]] \"" + id + "\": " + price + " must be 0 or more (US dollars per"
                        + " million tokens)", List.of());
            }
        }
        return id;
    }

    /**
     * Checks one [[budget]] ({@code scope}, {@code name} unless global, {@code period} day or month (default month),
     * {@code limit_usd}, optional {@code soft_usd} below it) and returns it.
     */
    HearthConfig.BudgetLine budget(JsonNode b) throws IOException {
        String scope = b.path("scope").asText("").strip().toLowerCase(java.util.Locale.ROOT);
        String near = b.path("scope").isTextual() ? b.path("scope").asText() : "[[budget]]";
        for (var it = b.fields(); it.hasNext(); ) {
            var e = it.next();
            Kind kind = BUDGET_KEYS.get(e.getKey());
            if (kind == null) {
                throw error(null, e.getKey(), "[[budget]]: unknown key \"" + e.getKey() + "\"", BUDGET_KEYS.keySet());
            }
            if (!kind.fits(e.getValue())) {
                throw error(null, e.getKey(), "[[budget]]: " + e.getKey() + " must be " + kind.what + ", not "
                        + e.getValue(), List.of());
            }
        }
        if (!BUDGET_SCOPES.contains(scope)) {
            throw error(null, near, "[[budget]]: scope must be one of " + BUDGET_SCOPES + ", not \"" + scope + "\"",
                    BUDGET_SCOPES);
        }
        String name = b.path("name").asText("").strip();
        if (scope.equals("global") ? !name.isEmpty() && !name.equals("*") : name.isEmpty()) {
            throw error(null, near, scope.equals("global") ? "[[budget]]: a global budget takes no name"
                    : "[[budget]]: a " + scope + " budget needs the " + scope + "'s name, e.g. name = \"...\"",
                    List.of());
        }
        String period = b.path("period").asText("month").strip().toLowerCase(java.util.Locale.ROOT);
        if (!BUDGET_PERIODS.contains(period)) {
            throw error(null, "period", "[[budget]]: period must be day or month, not \"" + period + "\"",
                    BUDGET_PERIODS);
        }
        if (!b.path("limit_usd").isNumber() || b.path("limit_usd").decimalValue().signum() < 0) {
            throw error(null, b.has("limit_usd") ? "limit_usd" : near, "[[budget]] " + scope
                    + (name.isEmpty() ? "" : " " + name) + ": limit_usd must be 0 or more US dollars", List.of());
        }
        java.math.BigDecimal limit = b.path("limit_usd").decimalValue();
        java.math.BigDecimal soft = b.has("soft_usd") ? b.path("soft_usd").decimalValue() : null;
        if (soft != null && (soft.signum() < 0 || soft.compareTo(limit) > 0)) {
            throw error(null, "soft_usd", "[[budget]] " + scope + (name.isEmpty() ? "" : " " + name)
                    + ": soft_usd must be between 0 and limit_usd (" + limit.toPlainString() + ")", List.of());
        }
        return new HearthConfig.BudgetLine(scope, scope.equals("global") ? "*" : name, period, limit, soft);
    }

    /**
     * A [[model]]'s own server: its base_url (or its pool's {@code endpoints}) and the variable its key is in; empty
     * when it has neither.
     */
    Optional<HearthConfig.Endpoint> endpoint(JsonNode m) throws IOException {
        String id = m.path("id").asText().strip();
        String provider = m.path("provider").asText();
        String where = "[[model]] \"" + id + "\": ";
        if (m.hasNonNull("base_url") && m.hasNonNull("endpoints")) {
            throw error(id, "endpoints", where + "give either base_url (one server) or endpoints (a pool of servers),"
                    + " not both", List.of());
        }
        if (!m.hasNonNull("base_url") && !m.hasNonNull("endpoints")) {
            if (m.hasNonNull("api_key_env")) {
                throw error(id, "api_key_env", where + "api_key_env needs a base_url in the same [[model]]: the"
                        + " key goes only to the server named there (a vendor's own models take its key from "
                        + provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY)", List.of());
            }
            return Optional.empty();
        }
        List<URI> pool = new java.util.ArrayList<>();
        if (m.hasNonNull("base_url")) {
            pool.add(url(id, "base_url", m.path("base_url").asText()));
        } else {
            for (JsonNode e : m.path("endpoints")) {
                URI uri = url(id, "endpoints", e.asText());
                if (pool.contains(uri)) {
                    throw error(id, "endpoints", where + "endpoints names " + uri + " twice; list each server once",
                            List.of());
                }
                pool.add(uri);
            }
            if (pool.isEmpty()) {
                throw error(id, "endpoints", where + "endpoints is empty; list the base URLs of the servers, e.g."
                        + " [\"http://10.0.0.5:8000/v1\", \"http://10.0.0.6:8000/v1\"]", List.of());
            }
        }
        String variable = null;
        if (m.hasNonNull("api_key_env")) {
            variable = m.path("api_key_env").asText().strip();
            if (!VARIABLE.matcher(variable).matches()) { // never shown: it may be a key pasted in the wrong place
                throw error(id, "api_key_env", where + "api_key_env is the name of the environment variable that"
                        + " holds the key (letters, digits and _, e.g. \"VLLM_API_KEY\"), not the key itself",
                        List.of());
            }
        }
        return Optional.of(new HearthConfig.Endpoint(provider, pool.getFirst(), variable, pool));
    }

    /** A server's base URL, without a trailing slash; an error naming {@code key} when it is not http(s) with a host. */
    private URI url(String id, String key, String given) throws IOException {
        String raw = given.strip();
        URI uri;
        try {
            uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw error(id, key, "[[model]] \"" + id + "\": " + key + " must be an http:// or https:// URL with a"
                    + " host, e.g. \"http://127.0.0.1:8000/v1\", not \"" + raw + "\"", List.of());
        }
        return uri;
    }

    /**
     * An error on the line where {@code near} is: below the header of {@code within} when one is given (a
     * {@code [section]}, or the id of a [[model]]), else the first line that has it.
     */
    IOException error(String within, String near, String what, Collection<String> valid) {
        String[] lines = text.split("\n", -1);
        int from = within == null ? 0 : within.startsWith("[") ? Math.max(0, header(lines, within))
                : modelStart(lines, within);
        int line = find(lines, from, near);
        if (line < 0 && from > 0) {
            line = find(lines, 0, near);
        }
        return new IOException(file + (line >= 0 ? " line " + (line + 1) : "") + ": " + what
                + (valid.isEmpty() ? "" : "; valid: " + valid));
    }

    private static int find(String[] lines, int from, String near) {
        for (int i = from; i < lines.length; i++) {
            if (lines[i].contains(near)) {
                return i;
            }
        }
        return -1;
    }

    private static int header(String[] lines, String header) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith(header)) {
                return i;
            }
        }
        return -1;
    }

    /** The [[model]] header above the line {@code id = "model"}, or 0. */
    private static int modelStart(String[] lines, String model) {
        Pattern idLine = Pattern.compile("^\\s*id\\s*=\\s*[\"']" + Pattern.quote(model) + "[\"']");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = idLine.matcher(lines[i]);
            if (m.find()) {
                for (int j = i; j >= 0; j--) {
                    if (lines[j].strip().startsWith("[[model]]")) {
                        return j;
                    }
                }
                return i;
            }
        }
        return 0;
    }
}
