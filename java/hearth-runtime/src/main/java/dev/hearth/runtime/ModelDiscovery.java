package dev.hearth.runtime;

import dev.hearth.router.DiscoveryConfig;
import dev.hearth.router.HearthConfig;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.TaskClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds models without their being declared one by one: GGUF files in the model cache and in the configured folders,
 * ONNX model directories there ({@code model.onnx} with {@code tokenizer.json}), and the models configured
 * OpenAI-compatible and Ollama servers list ({@link DiscoveryConfig}). A file is validated in Java (its backend's
 * header reader) before anything else reads it: a truncated, foreign or unreadable one is skipped with a note, never
 * the end of the scan. Models found in a folder or on a server join the registry under their names (never chosen by a
 * policy on their own, like any model a user names); a server that stops answering keeps its models, marked down.
 * Scans run on demand ({@link #scan}) and, when configured, on a schedule ({@link #every}). Thread-safe: one scan at
 * a time.
 */
public final class ModelDiscovery {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelDiscovery.class);
    private static final int DEPTH = 2; // a folder and its subfolders: models/NAME/NAME.gguf, models/NAME/model.onnx
    private final Hearth hearth;
    private final Backends backends;
    private final DiscoveryConfig config;
    private final ServerModels servers;
    private final Clock clock;
    private final Map<java.net.URI, List<DiscoveredModel>> lastListed = new LinkedHashMap<>(); // guarded by this
    private volatile Scan latest;
    /** The profiles this discovery registered, by file or folder, so a rescan finds them under the same name. */
    private final Map<Path, ModelProfile> registered = new java.util.HashMap<>(); // guarded by this

    /**
     * What one scan found: every model with its source, the files and servers it skipped (each with why and what to
     * do), and when it ran.
     */
    public record Scan(List<DiscoveredModel> models, List<String> skipped, Instant at) {
        public Scan {
            models = List.copyOf(models);
            skipped = List.copyOf(skipped);
        }
    }

    /** Runs a task every so often: a daemon thread in production, by hand in tests. */
    @FunctionalInterface
    public interface Scheduler {
        /** Runs {@code task} now and then every {@code period} until what comes back is closed. */
        AutoCloseable every(Duration period, Runnable task);

        /** A daemon thread that runs the task at once, then after each period. */
        static Scheduler daemon() {
            return (period, task) -> {
                var pool = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                        .daemon().name("hearth-discovery").unstarted(r));
                pool.scheduleWithFixedDelay(task, 0, period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return pool::shutdownNow;
            };
        }
    }

    /** @param http the client servers' lists are read with, made only when servers are configured */
    ModelDiscovery(Hearth hearth, Backends backends, DiscoveryConfig config,
            java.util.function.Supplier<java.net.http.HttpClient> http, Clock clock) {
        this.hearth = hearth;
        this.backends = backends;
        this.config = config;
        this.servers = config.servers().isEmpty() ? null : new ServerModels(http.get(), Duration.ofSeconds(5));
        this.clock = clock;
    }

    /** What discovery looks at (hearth.toml's [discovery] with the environment laid over it). */
    public DiscoveryConfig config() {
        return config;
    }

    /** The latest scan; the first call scans. */
    public Scan latest() throws InterruptedException {
        Scan s = latest;
        return s != null ? s : scan();
    }

    /**
     * The models the latest scan found in folders and on servers (each joined the registry under this name), scanning
     * first when there are folders or servers to look at and none was scanned yet; empty when there are none.
     */
    public List<DiscoveredModel> found() throws InterruptedException {
        if (config.dirs().isEmpty() && config.servers().isEmpty()) {
            return List.of();
        }
        return latest().models().stream().filter(m -> m.source().startsWith("dir:") || m.source().startsWith("server:"))
                .toList();
    }

    /** Whether a scan not yet run could make an unknown name known: folders or servers are configured. */
    boolean unscanned() {
        return latest == null && !(config.dirs().isEmpty() && config.servers().isEmpty());
    }

    /**
     * What {@code resolve} gives; when it refuses a name before any scan ran and a scan could find it (a model in a
     * [discovery] folder or on a server, named before the first scan), scans once and asks again.
     */
    <T> T afterScanIfUnknown(java.util.function.Supplier<T> resolve) {
        try {
            return resolve.get();
        } catch (IllegalArgumentException unknown) {
            if (!unscanned()) {
                throw unknown;
            }
            try {
                scan();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unknown;
            }
            return resolve.get();
        }
    }

    /** Scans the cache, the folders and the servers now, registering what is new. */
    public synchronized Scan scan() throws InterruptedException {
        List<DiscoveredModel> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ModelProfile p : hearth.router().registry().all()) {
            found.add(new DiscoveredModel(p.id(), DiscoveredModel.DECLARED, p.local() ? "local" : p.provider(), "", "",
                    hearth.router().licences().of(p), 0, 0, ""));
        }
        Set<String> cached = new java.util.HashSet<>();
        try {
            for (var m : backends.store().list()) {
                cached.add(m.name());
                gguf(m.path(), m.name(), DiscoveredModel.CACHE, false, found, skipped);
            }
        } catch (IOException | RuntimeException e) {
            skipped.add("the model cache " + backends.store().directory() + ": " + e.getMessage());
        }
        for (Path dir : config.dirs()) {
            folder(dir, found, skipped);
        }
        for (DiscoveryConfig.Server s : config.servers()) {
            server(s, found, skipped);
        }
        catalog(cached, found);
        Scan scan = new Scan(found, skipped, clock.instant());
        latest = scan;
        return scan;
    }

    /** Scans now and then every {@code period} on {@code scheduler}; a failed scan is logged, and the next one runs. */
    public AutoCloseable every(Duration period, Scheduler scheduler) {
        return scheduler.every(period, () -> {
            try {
                scan();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("a model discovery scan failed: {}", e.getMessage());
            }
        });
    }

    private void folder(Path dir, List<DiscoveredModel> found, List<String> skipped) {
        String source = DiscoveredModel.dir(dir);
        if (!Files.isDirectory(dir)) {
            skipped.add(dir + ": no such folder; create it, or take it out of [discovery] dirs or HEARTH_MODEL_DIRS");
            return;
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir, DEPTH)) {
            entries = walk.filter(p -> !p.equals(dir)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            skipped.add(dir + ": cannot be listed (" + e.getMessage() + "); check its permissions");
            return;
        }
        for (Path p : entries) {
            String file = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("model.onnx"))) {
                onnx(p, source, found, skipped);
            } else if (file.endsWith(".gguf") && !Files.isDirectory(p)) {
                if (file.matches(".*-\\d{5}-of-\\d{5}\\.gguf") && !file.matches(".*-00001-of-\\d{5}\\.gguf")) {
                    continue; // a later part of a split model: its first part stands for it
                }
                gguf(p, null, source, true, found, skipped);
            }
        }
    }

    /** A GGUF file, validated before anything reads it; {@code name} is its cache name (null: from its path). */
    private void gguf(Path file, String name, String source, boolean register, List<DiscoveredModel> found,
            List<String> skipped) {
        if (!Files.isReadable(file)) {
            skipped.add(file + ": not readable; check its permissions");
            return;
        }
        var bad = backends.unreadable(file);
        if (bad.isPresent()) {
            skipped.add(file + ": not a model Hearth can run (" + bad.get() + "); replace or remove the file");
            return;
        }
        try {
            ModelProfile p = registered.get(file);
            if (p == null) {
                ModelSpecs.Resolved r = hearth.specs().resolve(file.toString(), LocalOptions.DEFAULT_CONTEXT);
                p = r instanceof ModelSpecs.AdHoc a ? a.profile() : ((ModelSpecs.Known) r).profile();
                if (register) {
                    p = hearth.router().registry().register(p);
                    registered.put(file, p);
                }
            }
            var facts = backends.local(p).metadata();
            String shape = String.format(Locale.ROOT, "%s, %s layers, width %s, context %s",
                    facts.getOrDefault("architecture", "?"), facts.getOrDefault("layers", "?"),
                    facts.getOrDefault("embedding", "?"), facts.getOrDefault("context", "?"));
            long memory = backends.local(p).estimate(backends.spec(p).params()).total();
            found.add(new DiscoveredModel(name != null ? name : p.id(), source, "gguf", shape,
                    facts.getOrDefault("quantization", ""), hearth.router().licences().of(p), Files.size(file), memory,
                    ""));
        } catch (IOException | RuntimeException e) {
            skipped.add(file + ": " + e.getMessage());
        }
    }

    /** An ONNX model directory, registered as {@code onnx:NAME} (what {@code onnx:DIR} names). */
    private void onnx(Path dir, String source, List<DiscoveredModel> found, List<String> skipped) {
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            skipped.add(dir + ": has model.onnx but no tokenizer.json; add the model's tokenizer.json");
            return;
        }
        try {
            ModelProfile p = registered.get(dir);
            if (p == null) {
                ModelSpecs.Resolved r = hearth.specs().resolve("onnx:" + dir.toAbsolutePath(), 2048);
                p = r instanceof ModelSpecs.AdHoc a ? hearth.router().registry().register(a.profile())
                        : ((ModelSpecs.Known) r).profile();
                registered.put(dir, p);
            }
            long bytes;
            try (Stream<Path> files = Files.list(dir)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            long memory = backends.local(p).estimate(backends.spec(p).params()).total();
            String quant = Files.isRegularFile(dir.resolve("model_quantized.onnx")) ? "INT8" : "";
            found.add(new DiscoveredModel(p.id(), source, "onnx", "", quant, hearth.router().licences().of(p), bytes,
                    memory, ""));
        } catch (IOException | RuntimeException e) {
            skipped.add(dir + ": " + e.getMessage());
        }
    }

    /** A server's models: registered to be reached at the server; kept, marked down, when it stops answering. */
    private void server(DiscoveryConfig.Server s, List<DiscoveredModel> found, List<String> skipped)
            throws InterruptedException {
        String source = DiscoveredModel.server(s.url());
        String provider = s.kind() == DiscoveryConfig.Kind.OLLAMA ? "ollama" : "openai-compatible";
        List<ServerModels.Listed> listed;
        try {
            listed = servers.list(s, s.apiKeyEnv() == null ? null : backends.env().get(s.apiKeyEnv()));
        } catch (IOException down) {
            String health = "down: " + down.getMessage();
            skipped.add(s.url() + " (" + s.kind().label() + "): " + down.getMessage() + "; its models are kept,"
                    + " marked down, until it answers again");
            lastListed.getOrDefault(s.url(), List.of()).forEach(m -> found.add(m.withHealth(health)));
            return;
        }
        List<DiscoveredModel> models = new ArrayList<>();
        for (ServerModels.Listed m : listed) {
            HearthConfig.Endpoint at = new HearthConfig.Endpoint(provider, s.openAiBase(), s.apiKeyEnv());
            boolean keyed = at.keyPresent(backends.env());
            ModelProfile p;
            try {
                p = hearth.router().registry().registerFound(profile(m.name(), provider, s), keyed);
            } catch (IllegalArgumentException taken) { // another model has the name: this one goes by NAME@HOST
                p = hearth.router().registry().registerFound(profile(m.name() + "@" + s.url().getAuthority(),
                        provider, s, m.name()), keyed);
            }
            backends.reach(p.id(), at);
            models.add(new DiscoveredModel(p.id(), source, provider, m.shape(), m.quantization(),
                    hearth.router().licences().of(p), m.bytes(), 0, "up"));
        }
        lastListed.put(s.url(), List.copyOf(models));
        found.addAll(models);
    }

    private static ModelProfile profile(String name, String provider, DiscoveryConfig.Server s) {
        return profile(name, provider, s, name);
    }

    /** A server's model as the router sees it: plain general use, priced 0 (it is the user's own server). */
    private static ModelProfile profile(String id, String provider, DiscoveryConfig.Server s, String model) {
        return new ModelProfile(id, provider, model, false, Set.of(TaskClass.GENERAL), Set.of(), 0.5, 8192, true, true,
                0, 0, 4096);
    }

    /** The catalog's models not in the cache: pullable by name. */
    private void catalog(Set<String> cached, List<DiscoveredModel> found) {
        try {
            for (var e : backends.catalog().model()) {
                if (!cached.contains(e.name())) {
                    found.add(new DiscoveredModel(e.name(), DiscoveredModel.CATALOG, "gguf", "", e.quant(),
                            e.license(), 0, 0, ""));
                }
            }
        } catch (IOException | RuntimeException noCatalog) {
            // a missing catalog leaves only its models out; hearth models pull says what to set
        }
    }
}
