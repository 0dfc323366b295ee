package dev.hearth.router;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each model's licence: what hearth.toml's {@code [[model]] license} says; else, for a local model, what the runtime
 * finds (the catalog's entry, the GGUF file's {@code general.license}); else {@value LicenceClass#PROPRIETARY_API} for
 * a remote vendor's model; else {@code unknown}. Looked up once per model. Thread-safe.
 */
public final class ModelLicences {
    /** A licence nothing states. */
    public static final String UNKNOWN = "unknown";

    private final Map<String, String> declared;
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private volatile Function<ModelProfile, Optional<String>> finder = p -> Optional.empty();

    /** @param declared licences by model id, as hearth.toml declares them */
    public ModelLicences(Map<String, String> declared) {
        this.declared = Map.copyOf(declared);
    }

    /** Finds the licences of local models the configuration does not declare (the runtime's catalog and files). */
    public void findWith(Function<ModelProfile, Optional<String>> source) {
        this.finder = source;
        known.clear();
    }

    /** {@code p}'s licence. */
    public String of(ModelProfile p) {
        String d = declared.get(p.id());
        if (d != null && !d.isBlank()) {
            return d.strip();
        }
        return known.computeIfAbsent(p.id(), id -> {
            if (!p.local()) {
                return LicenceClass.PROPRIETARY_API;
            }
            try {
                return finder.apply(p).filter(s -> !s.isBlank()).map(String::strip).orElse(UNKNOWN);
            } catch (RuntimeException unreadable) {
                return UNKNOWN;
            }
        });
    }
}
