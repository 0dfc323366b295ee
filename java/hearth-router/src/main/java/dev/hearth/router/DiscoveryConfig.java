package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where models are found without being declared one by one: hearth.toml's {@code [discovery]} ({@code dirs}: folders
 * of GGUF files and ONNX model directories; {@code servers}: OpenAI-compatible or Ollama servers whose model lists are
 * read; {@code interval_seconds}: how often to look again, 0 for only on demand), with {@code HEARTH_MODEL_DIRS}
 * (folders separated by the platform's path separator) added to the dirs and
 * {@code HEARTH_DISCOVERY_INTERVAL_SECONDS} winning over the interval. The model cache is always looked at.
 *
 * @param dirs     folders to scan
 * @param servers  servers whose models are listed
 * @param interval how often to scan again; zero: only on demand
 */
public record DiscoveryConfig(List<Path> dirs, List<Server> servers, Duration interval) {
    public static final DiscoveryConfig NONE = new DiscoveryConfig(List.of(), List.of(), Duration.ZERO);
    private static final List<String> KEYS = List.of("dirs", "servers", "interval_seconds");

    /** How a server lists its models: OpenAI's {@code GET /v1/models}, or Ollama's {@code GET /api/tags}. */
    public enum Kind {
        OPENAI, OLLAMA;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A server to list: its root address (without {@code /v1}), how it lists models, and the environment variable
     * holding its API key (null: it takes none).
     */
    public record Server(URI url, Kind kind, String apiKeyEnv) {
        public Server {
            String s = url.toString().replaceAll("/+$", "").replaceAll("/v1$", "");
            url = URI.create(s);
        }

        /** The base URL its chat completions are under (OpenAI's wire: Ollama serves it too). */
        public URI openAiBase() {
            return URI.create(url + "/v1");
        }
    }

    public DiscoveryConfig {
        dirs = List.copyOf(dirs);
        servers = List.copyOf(servers);
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the discovery interval must be 0 (on demand) or more seconds");
        }
    }

    /** Whether anything beyond the model cache is configured, or scans repeat. */
    public boolean configured() {
        return !dirs.isEmpty() || !servers.isEmpty() || !interval.isZero();
    }

    /** This configuration with the environment's {@code HEARTH_MODEL_DIRS} and interval laid over it. */
    public DiscoveryConfig withEnvironment(Map<String, String> env) {
        List<Path> all = new ArrayList<>(dirs);
        String extra = env.get("HEARTH_MODEL_DIRS");
        if (extra != null) {
            for (String d : extra.split(java.io.File.pathSeparator)) {
                if (!d.isBlank() && !all.contains(Path.of(d.strip()))) {
                    all.add(Path.of(d.strip()));
                }
            }
        }
        Duration every = interval;
        String seconds = env.get("HEARTH_DISCOVERY_INTERVAL_SECONDS");
        if (seconds != null && !seconds.isBlank()) {
            try {
                every = Duration.ofSeconds(Long.parseLong(seconds.strip()));
            } catch (NumberFormatException e) {
                every = Duration.ofSeconds(-1);
            }
            if (every.isNegative()) {
                throw new IllegalArgumentException("HEARTH_DISCOVERY_INTERVAL_SECONDS must be a whole number of seconds,"
                        + " 0 or more, not \"" + seconds + "\"; unset it or set 0 to scan for models only on demand");
            }
        }
        return new DiscoveryConfig(all, servers, every);
    }

    /** Checks {@code [discovery]} and reads it; a missing section is {@link #NONE}. */
    static DiscoveryConfig read(ConfigShape shape, JsonNode v) throws IOException {
        if (v.isMissingNode()) {
            return NONE;
        }
        if (!v.isObject()) {
            throw shape.error(null, "discovery", "discovery must be a table: [discovery] on a line of its own",
                    List.of());
        }
        for (var it = v.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw shape.error("[discovery]", key, "[discovery]: unknown key \"" + key + "\"", KEYS);
            }
        }
        List<Path> dirs = new ArrayList<>();
        JsonNode d = v.path("dirs");
        if (!d.isMissingNode()) {
            if (!d.isArray()) {
                throw shape.error("[discovery]", "dirs", "[discovery] dirs must be a list of folders, e.g."
                        + " [\"/srv/models\"]", List.of());
            }
            for (JsonNode one : d) {
                if (!one.isTextual() || one.asText().isBlank()) {
                    throw shape.error("[discovery]", "dirs", "[discovery] dirs must be a list of folders, e.g."
                            + " [\"/srv/models\"], not " + d, List.of());
                }
                dirs.add(Path.of(one.asText().strip()));
            }
        }
        List<Server> servers = new ArrayList<>();
        for (JsonNode s : v.path("servers")) {
            servers.add(server(shape, s));
        }
        if (!v.path("servers").isMissingNode() && !v.path("servers").isArray()) {
            throw shape.error("[discovery]", "servers", "[discovery] servers must be a list of tables, e.g."
                    + " [{url = \"http://localhost:11434\", kind = \"ollama\"}]", List.of());
        }
        JsonNode i = v.path("interval_seconds");
        if (!i.isMissingNode() && !(i.isIntegralNumber() && i.asLong() >= 0)) {
            throw shape.error("[discovery]", "interval_seconds", "[discovery] interval_seconds must be a whole number"
                    + " of seconds, 0 or more (0: scan only on demand)", List.of());
        }
        return new DiscoveryConfig(dirs, servers, Duration.ofSeconds(i.asLong(0)));
    }

    private static Server server(ConfigShape shape, JsonNode s) throws IOException {
        String example = "{url = \"http://localhost:11434\", kind = \"ollama\"}";
        if (!s.isObject() || !s.path("url").isTextual()) {
            throw shape.error("[discovery]", "servers", "[discovery] each server is a table with a url and a kind, e.g. "
                    + example, List.of());
        }
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("url", "kind", "api_key_env").contains(key)) {
                throw shape.error("[discovery]", key, "[discovery] servers: unknown key \"" + key + "\"",
                        List.of("url", "kind", "api_key_env"));
            }
        }
        String url = s.path("url").asText().strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw shape.error("[discovery]", url, "[discovery] server url \"" + url + "\" is not an http:// or https://"
                    + " address; e.g. " + example, List.of());
        }
        String kind = s.path("kind").asText("openai").strip().toUpperCase(Locale.ROOT);
        try {
            return new Server(uri, Kind.valueOf(kind), s.hasNonNull("api_key_env")
                    ? s.path("api_key_env").asText().strip() : null);
        } catch (IllegalArgumentException e) {
            throw shape.error("[discovery]", s.path("kind").asText(), "[discovery] server kind \""
                    + s.path("kind").asText() + "\" is unknown", List.of("openai", "ollama"));
        }
    }
}
