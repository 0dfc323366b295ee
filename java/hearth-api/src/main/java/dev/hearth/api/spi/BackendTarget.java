package dev.hearth.api.spi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A model to run or reach, as the runtime resolved it: what a backend needs to decide whether it serves it and to open
 * it. Local targets have a location (a file or a directory); remote ones a provider and, for a server the
 * configuration declares, a base URL.
 *
 * @param id          the name requests use (and the model host leases it by)
 * @param provider    "local" for a file Hearth runs, a local engine's name ("onnx"), or a remote provider's
 * @param model       the model's name at its backend
 * @param location    the file or directory of a local model; null for a remote one
 * @param baseUrl     this model's own base URL from the configuration; null for a vendor's default
 * @param settings    the environment and per-model options the backend may read (API keys, base URLs, chat_format,
 *                    {@link #KEY_VARIABLE})
 */
public record BackendTarget(String id, String provider, String model, Path location, URI baseUrl,
        Map<String, String> settings) {
    /**
     * In {@link #settings}, for a target with its own base URL: the name of the setting that holds its key (a
     * hearth.toml {@code [[model]]}'s {@code api_key_env}); absent when the configuration names none.
     */
    public static final String KEY_VARIABLE = "hearth.api_key_env";

    /**
     * In {@link #settings}: how many times a remote client retries a failed call itself; absent, its own default. An
     * endpoint of a pool gets 0: the pool tries another endpoint instead.
     */
    public static final String MAX_RETRIES = "hearth.max_retries";

    /**
     * In {@link #settings}: how a local model speculates unless a request says ({@code speculation} of its hearth.toml
     * [[model]], as {@link dev.hearth.api.SpeculationSetting#parse} reads it); absent, the backend's default.
     */
    public static final String SPECULATION = "speculation";

    /**
     * In {@link #settings}: the file of a local model's draft model (its [[model]]'s {@code draft_model}, a path or a
     * cached model's name, resolved as the model's own location is), loaded beside it; absent, it has none.
     */
    public static final String DRAFT_MODEL = "draft_model";

    public BackendTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        settings = Map.copyOf(settings);
    }

    public boolean local() {
        return location != null;
    }
}
