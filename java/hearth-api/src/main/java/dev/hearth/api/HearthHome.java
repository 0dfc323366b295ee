package dev.hearth.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * Hearth's cache directory, the one place its rule is written: {@code -Dhearth.home}, else {@code HEARTH_HOME} in the
 * environment a caller was given, else {@code ~/.cache/hearth}. Natives, models and the run registry live under it.
 */
public final class HearthHome {
    private HearthHome() {
    }

    /** The directory for {@code env} (a process's environment, or one a test or an embedding application built). */
    public static Path of(Map<String, String> env) {
        String property = System.getProperty("hearth.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String variable = env.get("HEARTH_HOME");
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "hearth");
    }
}
