package dev.hearth.server.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ollama's model listings: {@code /api/tags} (the models a client may name), {@code /api/ps} (those loaded),
 * {@code /api/show} (one model), {@code /api/version}, and {@code /api/embed}'s answer. Plain functions of their
 * arguments.
 */
public final class ModelsWire {
    /** The Ollama release whose API this speaks: clients check it before using newer fields. */
    public static final String OLLAMA_API_VERSION = "0.12.0";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Ollama's expiry for a model kept loaded until the server stops. */
    private static final Instant FOREVER = Instant.parse("2318-01-01T00:00:00Z");

    private ModelsWire() {
    }

    /**
     * A model as the listings show it.
     *
     * @param name      the name a client sends ({@code auto}, a model id, {@code provider:model})
     * @param size      bytes of its file (0 for a remote model)
     * @param modified  when its file changed (the epoch for a remote model)
     * @param format    {@code gguf}, {@code onnx}, or {@code remote}
     * @param family    its architecture, or its provider for a remote model
     */
    public record Entry(String name, long size, Instant modified, String format, String family) {
    }

    /**
     * A loaded model, as {@code /api/ps} shows it.
     *
     * @param expires  when the host unloads it, or null when it is kept loaded (in use, or a negative keep-alive)
     */
    public record Loaded(Entry model, long bytes, long gpuBytes, Instant expires) {
    }

    public static ObjectNode tags(List<Entry> models) {
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("models");
        models.forEach(m -> list.add(entry(m)));
        return out;
    }

    public static ObjectNode ps(List<Loaded> models) {
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("models");
        for (Loaded l : models) {
            ObjectNode m = entry(l.model());
            m.remove("modified_at");
            m.put("size", l.bytes()).put("size_vram", l.gpuBytes())
                    .put("expires_at", (l.expires() == null ? FOREVER : l.expires()).toString());
            list.add(m);
        }
        return out;
    }

    /** {@code /api/show}: the details, what the backend says of the model, and what it can do. */
    public static ObjectNode show(Entry model, Map<String, String> facts, List<String> capabilities) {
        ObjectNode out = JSON.objectNode().put("license", "").put("modelfile", "").put("parameters", "")
                .put("template", "");
        out.set("details", details(model));
        ObjectNode info = out.putObject("model_info").put("general.architecture", model.family());
        facts.forEach((k, v) -> info.put("hearth." + k, v));
        ArrayNode caps = out.putArray("capabilities");
        capabilities.forEach(caps::add);
        return out.put("modified_at", model.modified().toString());
    }

    public static ObjectNode version(String hearthVersion) {
        return JSON.objectNode().put("version", OLLAMA_API_VERSION).put("hearth", hearthVersion);
    }

    /** {@code /api/embed}: one vector per input, in order, and the tokens the model read. */
    public static ObjectNode embeddings(String model, List<float[]> vectors, long promptTokens, long totalNanos) {
        ObjectNode out = JSON.objectNode().put("model", model);
        ArrayNode all = out.putArray("embeddings");
        for (float[] v : vectors) {
            ArrayNode row = all.addArray();
            for (float x : v) {
                row.add(x);
            }
        }
        return out.put("total_duration", totalNanos).put("load_duration", 0L).put("prompt_eval_count", promptTokens);
    }

    /** A pull's step without numbers ({@code pulling manifest}, {@code verifying sha256 digest}). */
    public static ObjectNode status(String status) {
        return JsonNodeFactory.instance.objectNode().put("status", status);
    }

    /** A pull's progress: bytes so far of the total. */
    public static ObjectNode progress(String status, long total, long completed) {
        return status(status).put("total", total).put("completed", completed);
    }

    /** A pull's end, with the file's digest. */
    public static ObjectNode pulled(String sha256) {
        return status("success").put("digest", "sha256:" + sha256);
    }

    private static ObjectNode entry(Entry m) {
        ObjectNode out = JSON.objectNode().put("name", m.name()).put("model", m.name())
                .put("modified_at", m.modified().toString()).put("size", m.size()).put("digest", "");
        out.set("details", details(m));
        return out;
    }

    private static ObjectNode details(Entry m) {
        ObjectNode d = JSON.objectNode().put("parent_model", "").put("format", m.format()).put("family", m.family());
        d.putArray("families").add(m.family());
        return d.put("parameter_size", "").put("quantization_level", "");
    }
}
