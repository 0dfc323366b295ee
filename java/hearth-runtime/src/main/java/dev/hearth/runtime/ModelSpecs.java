package dev.hearth.runtime;

import dev.hearth.host.ModelStore;
import dev.hearth.router.PriceTable;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.ModelRegistry;
import dev.hearth.router.Router;
import dev.hearth.router.TaskClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that reads what a user can name as a model: {@code auto}, {@code agent:NAME}, a model the configuration
 * declares, {@code PROVIDER:MODEL} (a vendor an installed backend reaches, or a server hearth.toml declares),
 * {@code KIND:PATH} for a local model another engine runs ({@code onnx:DIR}), a model file, or the name of a model in
 * the cache ({@code NAME.gguf} under MODEL_CACHE_DIR, by {@link ModelStore}). Pure: it reads the file system and
 * builds profiles, and registers nothing; which backend serves a profile is decided where it runs.
 */
public final class ModelSpecs {
    /** What a spec names. */
    public sealed interface Resolved {
        /** The name to put in a request: the router decides ({@code auto}, {@code agent:NAME}) or honours it. */
        String requestModel();
    }

    /** The router chooses: {@code auto}, or an agent from hearth.toml. */
    public record Routed(String requestModel) implements Resolved {
    }

    /** A model the registry already knows. */
    public record Known(ModelProfile profile) implements Resolved {
        @Override
        public String requestModel() {
            return profile.id();
        }
    }

    /** A model made for this spec, to be registered before the request names it. */
    public record AdHoc(ModelProfile profile) implements Resolved {
        @Override
        public String requestModel() {
            return profile.id();
        }
    }

    /** The max output assumed of a remote model nothing describes: what every current vendor model allows. */
    private static final int UNKNOWN_MAX_OUTPUT = 8192;

    private final ModelRegistry registry;
    private final Set<String> vendors;
    private final Set<String> servers;
    private final ModelStore store;
    private final PriceTable prices;

    /**
     * @param registry the configured models
     * @param vendors  remote providers the installed backends reach without configuration
     * @param servers  providers hearth.toml declares a base URL for
     * @param store    the model cache
     * @param prices   prices of the vendors' models, so an ad-hoc remote model is held to the budget
     */
    public ModelSpecs(ModelRegistry registry, Set<String> vendors, Set<String> servers, ModelStore store,
            PriceTable prices) {
        this.registry = registry;
        this.vendors = Set.copyOf(vendors);
        this.servers = Set.copyOf(servers);
        this.store = store;
        this.prices = prices;
    }

    /** Resolves {@code spec} (null or blank: auto); an unknown spec fails with what would have been accepted. */
    public Resolved resolve(String spec, int localContext) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty() || s.equals(Router.AUTO) || s.startsWith("agent:")) {
            return new Routed(s.isEmpty() ? Router.AUTO : s);
        }
        var known = registry.find(s);
        if (known.isPresent()) {
            return new Known(known.get());
        }
        int colon = s.indexOf(':');
        if (colon > 0) {
            String provider = s.substring(0, colon).toLowerCase(Locale.ROOT);
            String model = s.substring(colon + 1).strip();
            if (vendors.contains(provider) || servers.contains(provider)) {
                if (model.isEmpty()) {
                    throw new IllegalArgumentException("name the model after " + provider + ": e.g. " + provider + ":"
                            + example(provider));
                }
                return new AdHoc(remote(provider, model));
            }
            Path located = located(model);
            if (located != null) { // a local model another engine runs: the backend that serves the kind is found later
                return new AdHoc(local(provider, located, localContext));
            }
        }
        Path file = gguf(s);
        if (file != null) {
            return new AdHoc(local(file, localContext));
        }
        throw new IllegalArgumentException("no model \"" + s + "\": it is not a GGUF file, not a model in " + store.directory()
                + " (hearth models list), not PROVIDER:MODEL for a provider Hearth knows " + providers()
                + ", not KIND:PATH of an existing local model (onnx:DIR), and not a configured model "
                + registry.all().stream().map(ModelProfile::id).toList()
                + "; or pass auto to let the router choose");
    }

    private Set<String> providers() {
        Set<String> all = new TreeSet<>(vendors);
        all.addAll(servers);
        return all;
    }

    private static String example(String provider) {
        return switch (provider) {
            case "anthropic" -> "claude-sonnet-4-6";
            case "deepseek" -> "deepseek-flash";
            default -> "gpt-5-mini";
        };
    }

    /** A GGUF file the spec names: a path, or a name in the cache; null when it names neither. */
    private Path gguf(String spec) {
        Path direct = Path.of(spec);
        if (Files.isRegularFile(direct)) {
            return direct.toAbsolutePath().normalize();
        }
        try {
            Path named = store.path(spec);
            return Files.isRegularFile(named) ? named.toAbsolutePath().normalize() : null;
        } catch (IllegalArgumentException notAName) {
            return null;
        }
    }

    /** A path a KIND:PATH spec names: as given, or under the cache; null when nothing is there. */
    private Path located(String path) {
        if (path.isEmpty()) {
            return null;
        }
        Path given = Path.of(path);
        Path found = Files.exists(given) ? given : given.isAbsolute() ? null : store.directory().resolve(path);
        return found != null && Files.exists(found) ? found.toAbsolutePath().normalize() : null;
    }

    private ModelProfile local(Path file, int context) {
        String stem = file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        // the file's own name unless a configured model has it; then the path, which nothing else can be called
        String id = registry.find(stem).isPresent() ? file.toString() : stem;
        return new ModelProfile(id, "local", file.toString(), true, Set.of(), Set.of(), 0.3, context, true, true, 0, 0,
                Math.max(1, context / 2)); // half the context for the answer, half for the conversation
    }

    /**
     * A local model of another kind: plain text until its backend says more (an ONNX decoder has no grammar for tools
     * or schemas).
     */
    private static ModelProfile local(String kind, Path location, int context) {
        return new ModelProfile(kind + ":" + location.getFileName(), kind, location.toString(), true, Set.of(),
                Set.of(), 0.3, context, false, false, 0, 0, Math.max(1, context / 2));
    }

    private ModelProfile remote(String provider, String model) {
        var price = prices.price(provider, model, Instant.now());
        // per million tokens, as the profile wants; a model the table lacks is priced 0 and said so by the printer
        double in = price.map(p -> p.input().doubleValue()).orElse(0.0);
        double out = price.map(p -> p.output().doubleValue()).orElse(0.0);
        String id = provider + ":" + model;
        // a model the configuration knows under another name keeps what is known of it (window, max output)
        var known = registry.all().stream().filter(p -> p.provider().equals(provider) && p.model().equals(model))
                .findFirst();
        if (known.isPresent()) {
            ModelProfile k = known.get();
            return new ModelProfile(id, provider, model, false, k.strengths(), k.weaknesses(), k.quality(),
                    k.contextWindow(), k.tools(), k.jsonSchema(), price.isPresent() ? in : k.inputPrice(),
                    price.isPresent() ? out : k.outputPrice(), k.maxOutput());
        }
        return new ModelProfile(id, provider, model, false, Set.of(TaskClass.GENERAL), Set.of(), 0.8, 128_000, true,
                true, in, out, UNKNOWN_MAX_OUTPUT);
    }
}
