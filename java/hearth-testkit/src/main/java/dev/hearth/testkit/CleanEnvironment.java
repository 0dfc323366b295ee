package dev.hearth.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An environment built from scratch, for code that takes its settings as a map ({@code Hearth.fromEnvironment}, the
 * CLI's {@code HearthCli.run}): nothing of the caller's own environment gets in (their LLM_STRATEGY, API keys,
 * HEARTH_CONFIG, HEARTH_PRIVACY, ...), and the run directory ({@code HEARTH_RUN_DIR}), the model cache
 * ({@code MODEL_CACHE_DIR}) and the ledger ({@code HEARTH_LEDGER_PATH}) are in the test's directory unless the test
 * names others. Only the natives are still
 * found through the process ({@code HEARTH_HOME}), which no setting here can change.
 */
public final class CleanEnvironment {
    private CleanEnvironment() {
    }

    /**
     * {@code HEARTH_RUN_DIR=dir/run}, {@code MODEL_CACHE_DIR=dir/models}, {@code HEARTH_LEDGER_PATH=dir/ledger.db},
     * then {@code settings} as name, value pairs.
     */
    public static Map<String, String> in(Path dir, String... settings) {
        if (settings.length % 2 != 0) {
            throw new IllegalArgumentException("settings are name, value pairs; " + settings.length + " strings given");
        }
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_RUN_DIR", dir.resolve("run").toString());
        env.put("MODEL_CACHE_DIR", dir.resolve("models").toString());
        env.put("HEARTH_LEDGER_PATH", dir.resolve("ledger.db").toString());
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return Map.copyOf(env);
    }

    /** {@link #in(Path, String...)} with {@code more} laid over it. */
    public static Map<String, String> in(Path dir, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(in(dir));
        env.putAll(more);
        return Map.copyOf(env);
    }
}
