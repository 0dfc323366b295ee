package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.host.ModelHost;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.Router;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.Vectors;
import dev.hearth.server.ollama.ModelsWire;
import dev.hearth.server.openai.Embeddings;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ollama's model endpoints: {@code GET /api/tags} ({@code auto} and every model the router knows), {@code GET /api/ps}
 * (the model host's loaded models), {@code POST /api/show}, {@code GET /api/version}, {@code POST /api/embed} (the
 * default embedder or a GGUF embedding model, through the front door and recorded in the ledger), and
 * {@code POST /api/pull} (a model of the server's catalog, with progress; a key needs the admin scope). Errors in Ollama's shape.
 */
final class OllamaModelsRoute {
    private final Hearth hearth;
    private final ModelNames names;
    private final ServedCalls calls;
    private final long maxBodyBytes;

    OllamaModelsRoute(Hearth hearth, ServedCalls calls, long maxBodyBytes) {
        this.hearth = hearth;
        this.names = new ModelNames(hearth);
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
    }

    void tags(ServerRequest req, ServerResponse res) {
        answer(res, () -> {
            List<ModelsWire.Entry> all = new ArrayList<>(List.of(auto()));
            hearth.router().registry().all().forEach(p -> all.add(entry(p)));
            return ModelsWire.tags(all);
        });
    }

    void ps(ServerRequest req, ServerResponse res) {
        answer(res, () -> {
            List<ModelsWire.Loaded> loaded = new ArrayList<>();
            for (ModelHost.LoadedModel m : hearth.host().loaded()) {
                ModelsWire.Entry e = hearth.router().registry().find(m.id()).map(this::entry)
                        .orElseGet(() -> new ModelsWire.Entry(m.id(), 0, Instant.EPOCH, "gguf", ""));
                loaded.add(new ModelsWire.Loaded(e, m.placement().estimate().total(), m.placement().estimate().gpu(),
                        m.expiresAt()));
            }
            return ModelsWire.ps(loaded);
        });
    }

    void show(ServerRequest req, ServerResponse res) {
        answer(res, () -> {
            Fields f = Fields.of(JsonBodies.read(req, maxBodyBytes), "");
            f.only(Set.of("model", "name", "verbose", "system", "template", "options"), "an Ollama show request");
            String named = f.has("model") ? f.requiredString("model") : f.string("name");
            if (named == null || named.isBlank()) {
                throw new BadRequest("model", "model is required: the name of a model (GET /api/tags lists them)");
            }
            String id = names.resolve(named.strip().replaceFirst(":latest$", ""));
            ModelProfile p = hearth.router().registry().find(id).orElse(null);
            if (p == null) {
                return ModelsWire.show(auto(), Map.of(), List.of("completion", "tools"));
            }
            Map<String, String> facts = new LinkedHashMap<>();
            if (p.local()) {
                facts.putAll(hearth.metadata(p.id()));
            } else {
                facts.put("provider", p.provider());
                facts.put("model", p.model());
            }
            facts.put("context_length", Integer.toString(p.contextWindow()));
            List<String> capabilities = new ArrayList<>(List.of("completion"));
            if (p.local() && hearth.embeddingModels().contains(p.id())) {
                capabilities = List.of("embedding"); // Ollama's word for a model that embeds and does not chat
            } else if (p.tools()) {
                capabilities.add("tools");
            }
            return ModelsWire.show(entry(p), facts, capabilities);
        });
    }

    void version(ServerRequest req, ServerResponse res) {
        String v = HearthServer.class.getPackage().getImplementationVersion();
        Replies.json(res, 200, ModelsWire.version(v == null ? "dev" : v));
    }

    /**
     * {@code POST /api/embed}: as {@code /v1/embeddings} ({@link ModelNames#embedding}, {@link ServedCalls#embed}),
     * in Ollama's shape. A text longer than the model reads: the default embedder cuts it unless {@code truncate} is
     * false; a GGUF embedding model does not cut, and answers 400 with the numbers.
     */
    void embed(ServerRequest req, ServerResponse res) {
        answer(res, () -> {
            long started = System.nanoTime();
            Fields f = Fields.of(JsonBodies.read(req, maxBodyBytes), "");
            f.only(Set.of("model", "input", "truncate", "keep_alive", "dimensions", "options"),
                    "an Ollama embed request");
            String model = names.embedding(f.requiredString("model").strip().replaceFirst(":latest$", ""));
            List<String> inputs = Embeddings.input(f);
            Long dimensions = f.integer("dimensions");
            f.object("options");
            boolean truncate = !Boolean.FALSE.equals(f.bool("truncate"));
            Vectors v;
            try {
                v = calls.embed(req, model, inputs);
            } catch (dev.hearth.api.ContextOverflowException tooLong) {
                throw new BadRequest(400, "input", "context_length_exceeded", tooLong.getMessage());
            }
            int width = v.embedded().getFirst().vector().length;
            if (dimensions != null && dimensions != width) {
                throw new BadRequest("dimensions", v.model() + " makes vectors of " + width + " dimensions, not "
                        + dimensions + "; leave dimensions out");
            }
            for (int i = 0; i < v.embedded().size(); i++) {
                if (v.embedded().get(i).truncated() && !truncate) {
                    throw new BadRequest("input[" + i + "]", "input[" + i + "] is longer than " + v.model()
                            + " reads, and truncate is false; shorten it, or leave truncate out to cut it");
                }
            }
            return ModelsWire.embeddings(v.model(), v.vectors(), v.inputTokens(), System.nanoTime() - started);
        });
    }

    /**
     * {@code POST /api/pull}: a model of the server's catalog into its model cache (resumed, verified against the
     * catalog's sha256), with Ollama's progress as JSON lines ({@code pulling manifest}, {@code downloading} with
     * {@code total} and {@code completed}, {@code verifying sha256 digest}, {@code success}), or one object with
     * {@code "stream": false}. Only catalog names: a client cannot make the server fetch an address of its choosing.
     */
    void pull(ServerRequest req, ServerResponse res) {
        if (AdminRoutes.allowed(req, res) == null) { // pulling fills the server's disk: an operator's act
            return;
        }
        String name;
        boolean stream;
        try {
            Fields f = Fields.of(JsonBodies.read(req, maxBodyBytes), "");
            f.only(Set.of("model", "name", "stream", "insecure"), "an Ollama pull request");
            String named = f.has("model") ? f.requiredString("model") : f.string("name");
            if (named == null || named.isBlank()) {
                throw new BadRequest("model", "model is required: the name of a model in the server's catalog");
            }
            f.bool("insecure");
            name = named.strip().replaceFirst(":latest$", "");
            stream = !Boolean.FALSE.equals(f.bool("stream"));
            if (hearth.catalogEntry(name).isEmpty()) {
                throw new BadRequest(404, "model", "model_not_found", "no model " + name + " in this server's"
                        + " catalog; its operator adds models there, or pulls others with bin/hearth models pull");
            }
        } catch (Exception | LinkageError e) {
            Replies.error(res, e, Wire.OLLAMA);
            return;
        }
        try (JsonLines out = new JsonLines(res, Map.of())) {
            long[] shown = {-1};
            try {
                if (stream) {
                    out.send(ModelsWire.status("pulling manifest"));
                }
                var done = hearth.pull(name, (bytes, total) -> {
                    long step = Math.max(1, total / 100); // at most one line per percent
                    if (stream && (bytes - shown[0] >= step || bytes == total)) {
                        shown[0] = bytes;
                        out.send(ModelsWire.progress("downloading", total, bytes));
                    }
                });
                if (stream) {
                    out.send(ModelsWire.status("verifying sha256 digest"));
                }
                out.send(ModelsWire.pulled(done.sha256()));
            } catch (dev.hearth.api.CallCancelledException gone) {
                // the client left; the partial file stays for the next pull to resume
            } catch (java.io.IOException failed) { // the download or its check: the message says which
                failed(out, res, new BadRequest(502, "model", "pull_failed", "pulling " + name + " failed: "
                        + failed.getMessage()));
            } catch (Exception | LinkageError e) {
                failed(out, res, e);
            }
        }
    }

    // an error line once lines have gone out, else the error with its status
    private static void failed(JsonLines out, ServerResponse res, Throwable e) {
        if (out.started()) {
            out.send(Wire.OLLAMA.body(Wire.OLLAMA.shape(dev.hearth.server.openai.ApiError.of(e))));
        } else {
            Replies.error(res, e, Wire.OLLAMA);
        }
    }

    private static ModelsWire.Entry auto() {
        return new ModelsWire.Entry(Router.AUTO, 0, Instant.EPOCH, "router", "hearth");
    }

    private ModelsWire.Entry entry(ModelProfile p) {
        if (!p.local()) {
            return new ModelsWire.Entry(p.id(), 0, Instant.EPOCH, "remote", p.provider());
        }
        try {
            Path file = hearth.location(p.id());
            String format = Files.isDirectory(file) ? "onnx" : "gguf";
            String family = hearth.metadata(p.id()).getOrDefault("architecture", format);
            return new ModelsWire.Entry(p.id(), Files.size(file), Files.getLastModifiedTime(file).toInstant(), format,
                    family);
        } catch (java.io.IOException | RuntimeException unreadable) {
            return new ModelsWire.Entry(p.id(), 0, Instant.EPOCH, "gguf", ""); // using it will say what is wrong
        }
    }

    private interface Answer {
        JsonNode get() throws Exception;
    }

    private static void answer(ServerResponse res, Answer answer) {
        try {
            Replies.json(res, 200, answer.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e, Wire.OLLAMA);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e, Wire.OLLAMA);
        }
    }
}
