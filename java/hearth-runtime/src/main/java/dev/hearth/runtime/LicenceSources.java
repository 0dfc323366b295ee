package dev.hearth.runtime;

import dev.hearth.router.ModelProfile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the licence of a local model hearth.toml does not declare is found: the model catalog's entry of its name, else
 * its file's own metadata ({@code general.license} in a GGUF file, as its backend reads it without loading the
 * weights). Empty when neither says; the router then calls it unknown.
 */
final class LicenceSources {
    private final Backends backends;

    LicenceSources(Backends backends) {
        this.backends = backends;
    }

    Optional<String> find(ModelProfile p) {
        return catalogued(p).or(() -> inFile(p));
    }

    private Optional<String> catalogued(ModelProfile p) {
        String name = Path.of(p.model()).getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        try {
            return backends.catalog().find(name).map(dev.hearth.host.Catalog.Entry::license)
                    .filter(l -> !l.isBlank());
        } catch (java.io.IOException | RuntimeException noCatalog) {
            return Optional.empty();
        }
    }

    private Optional<String> inFile(ModelProfile p) {
        try {
            return Optional.ofNullable(backends.local(p).metadata().get("license"));
        } catch (RuntimeException unreadable) { // not pulled yet, or no backend reads it: nothing it says
            return Optional.empty();
        }
    }
}
