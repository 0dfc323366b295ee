package dev.hearth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.Router;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Completions;
import java.util.ArrayList;
import java.util.List;

/**
 * The model names an HTTP client may send: those of the front door ({@code auto}, configured models, cache names,
 * {@code provider:model}, {@code agent:NAME}), but never a file path: a client names models, it does not pick files
 * on the server's disk.
 */
final class ModelNames {
    private final Hearth hearth;

    ModelNames(Hearth hearth) {
        this.hearth = hearth;
    }

    /** The name to put in the request, or a 404 that says what the client may name instead. */
    String resolve(String named) {
        if (named.startsWith("/") || named.startsWith(".") || named.startsWith("~") || named.contains("\\")
                || named.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            throw new BadRequest(404, "model", "model_not_found", "model \"" + named + "\" is a file path; a client"
                    + " names a model (GET /v1/models lists them), and the server's operator puts model files in its"
                    + " cache (bin/hearth models pull)");
        }
        try {
            return hearth.use(named);
        } catch (IllegalArgumentException unknown) {
            throw new BadRequest(404, "model", "model_not_found", unknown.getMessage());
        }
    }

    /** {@code GET /v1/models}: {@code auto}, then every model the router knows. */
    ObjectNode list() {
        List<String> ids = new ArrayList<>(List.of(Router.AUTO));
        List<String> owners = new ArrayList<>(List.of("hearth"));
        for (ModelProfile p : hearth.router().registry().all()) {
            ids.add(p.id());
            owners.add(p.local() ? "hearth" : p.provider());
        }
        return Completions.modelList(ids, owners);
    }
}
