package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.Router;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Completions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
                || named.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
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

    /**
     * {@code GET /v1/models}: {@code auto}, every model the router knows, those discovery found, then the models that
     * embed (the default embedder, and the GGUF embedding models configured or in the cache).
     */
    ObjectNode list() {
        List<String> ids = new ArrayList<>(List.of(Router.AUTO));
        List<String> owners = new ArrayList<>(List.of("hearth"));
        for (ModelProfile p : hearth.router().registry().all()) {
            ids.add(p.id());
            owners.add(p.local() ? "hearth" : p.provider());
        }
        try {
            for (var m : hearth.discovery().found()) { // found in [discovery] folders and on servers
                if (!ids.contains(m.name())) {
                    ids.add(m.name());
                    owners.add(m.source().startsWith("server:") ? m.kind() : "hearth");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String id : hearth.embeddingModels()) {
            if (!ids.contains(id)) {
                ids.add(id);
                owners.add("hearth");
            }
        }
        return Completions.modelList(ids, owners);
    }

    /** {@code GET /v1/models/{id}}: that model as {@link #list} shows it, or a 404 that says where to look. */
    ObjectNode one(String id) {
        for (JsonNode m : list().get("data")) {
            if (m.get("id").asText().equals(id)) {
                return (ObjectNode) m;
            }
        }
        throw new BadRequest(404, "model", "model_not_found", "no model \"" + id + "\" here; GET /v1/models lists"
                + " the models this server answers with");
    }

    /**
     * The model a client named for embeddings, as {@link Hearth#embed} takes it: the default embedder (any case) or a
     * local embedding model; a file path or an unknown name is a 404, and a model that does not embed a 400, each
     * naming the models that do.
     */
    String embedding(String named) {
        List<String> embedding = hearth.embeddingModels();
        if (hearth.embedderName().filter(named::equalsIgnoreCase).isPresent()) {
            return named;
        }
        String id;
        try {
            id = resolve(named);
        } catch (BadRequest unknown) {
            throw new BadRequest(404, "model", "model_not_found", unknown.getMessage() + embedders(embedding));
        }
        if (!embedding.contains(id)) {
            throw new BadRequest(400, "model", "model_not_embedding", "\"" + named + "\" is not an embedding model ("
                    + (id.equals(Router.AUTO) ? "the router chooses chat models" : "a chat model: a GGUF embeds when"
                    + " its file declares a pooling") + ")" + embedders(embedding));
        }
        return id;
    }

    private static String embedders(List<String> embedding) {
        return embedding.isEmpty() ? "; this server has no embedding model (add hearth-onnx to the server, or put a"
                + " GGUF embedding model in its model cache)"
                : "; the models that embed here: " + String.join(", ", embedding) + " (send one as \"model\")";
    }
}
