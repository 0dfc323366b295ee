package dev.hearth.host;

import dev.hearth.api.spi.EstimateParams;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model the host can load.
 *
 * @param id      its name (what callers lease it by)
 * @param path    its GGUF file
 * @param params  the context it will run with (size, slots, KV type, micro-batch), which sizes its memory
 */
public record ModelSpec(String id, Path path, EstimateParams params) {
    public ModelSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(params, "params");
    }
}
