package dev.hearth.runtime;

import dev.hearth.api.spi.BackendProvider;
import dev.hearth.router.PrivacyGuard;
import dev.hearth.router.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Hearth} is made from the environment: {@code HEARTH_CONFIG}'s hearth.toml (the environment wins over
 * it), the installed backends, the privacy policy, the ledger, the baseline model and the response cache's settings.
 */
final class HearthSetup {
    private HearthSetup() {
    }

    /** A Hearth from {@code env} (and the hearth.toml it names), the response cache's time-to-live on {@code clock}. */
    static Hearth fromEnvironment(Map<String, String> env, java.time.Clock clock) {
        List<BackendProvider> providers = BackendProvider.installed();
        String file = env.get("HEARTH_CONFIG");
        String strategy = env.get("LLM_STRATEGY");
        boolean inEnvironment = strategy != null && !strategy.isBlank();
        if (file == null || file.isBlank()) {
            Backends backends = new Backends(providers, env, dev.hearth.router.HearthConfig.empty());
            return new Hearth(Router.fromEnvironment(env, backends::embedder), backends, guard(env), inEnvironment,
                    LedgerReadings.config(env, dev.hearth.router.HearthConfig.empty()), baseline(env),
                    ResponseCaching.Settings.from(env), clock);
        }
        try {
            Path path = Path.of(file);
            Backends[] made = new Backends[1];
            Router router = Router.fromConfig(path, env, () -> made[0].embedder());
            Map<String, String> merged = router.file().environment(env);
            made[0] = new Backends(providers, merged, router.file());
            router.file().checkOptions(path, made[0]::checkOption);
            return new Hearth(router, made[0], guard(merged), inEnvironment || router.file().setsStrategy(),
                    LedgerReadings.config(merged, router.file()), baseline(merged),
                    ResponseCaching.Settings.from(merged), clock);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The model savings are measured against: HEARTH_BASELINE_MODEL, by default Claude Sonnet. */
    private static String baseline(Map<String, String> env) {
        String id = env.get("HEARTH_BASELINE_MODEL");
        return id == null || id.isBlank() ? "claude-sonnet-4-6" : id.strip();
    }

    private static PrivacyGuard guard(Map<String, String> env) {
        String privacy = env.getOrDefault("HEARTH_PRIVACY", "redact");
        try {
            return new PrivacyGuard(PrivacyGuard.Policy.valueOf(privacy.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HEARTH_PRIVACY must be redact, refuse or allow, not \"" + privacy
                    + "\"; set it to one of those, or unset it for redact");
        }
    }

    /** The catalog {@code HEARTH_CATALOG} names, else {@code models/catalog.toml} under the install. */
    static dev.hearth.host.Catalog catalog(Map<String, String> env) throws java.io.IOException {
        String file = env.get("HEARTH_CATALOG");
        Path path = file != null && !file.isBlank() ? Path.of(file)
                : Path.of(System.getProperty("hearth.root", ".")).resolve("models").resolve("catalog.toml");
        if (!java.nio.file.Files.exists(path)) {
            throw new IllegalArgumentException("no model catalog at " + path + "; set HEARTH_CATALOG");
        }
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new IllegalArgumentException("the model catalog " + path + " is not a file; set HEARTH_CATALOG to"
                    + " a catalog file (models/catalog.toml is one)");
        }
        return dev.hearth.host.Catalog.load(path);
    }
}
