package dev.hearth.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.SamplingLimits;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Ollama's {@code options}. Applied: {@code temperature}, {@code top_p}, {@code num_predict} (a negative one: the
 * server's default limit), {@code stop}; {@code seed} is checked (local sampling is seeded by the engine). Ollama's
 * other options (model loading and sampler knobs such as {@code num_ctx}, {@code top_k}, {@code repeat_penalty}) are
 * type-checked and named as ignored, since Ollama's clients send them routinely; a name Ollama does not know is refused.
 */
final class Options {
    /** Ollama's options Hearth reads but does not apply to a request. */
    static final Set<String> IGNORED = Set.of("numa", "num_ctx", "num_batch", "num_gpu", "main_gpu", "low_vram",
            "f16_kv", "logits_all", "vocab_only", "use_mmap", "use_mlock", "embedding_only", "num_thread", "num_keep",
            "top_k", "min_p", "tfs_z", "typical_p", "repeat_last_n", "repeat_penalty", "presence_penalty",
            "frequency_penalty", "mirostat", "mirostat_tau", "mirostat_eta", "penalize_newline");
    private static final Set<String> APPLIED = Set.of("temperature", "top_p", "num_predict", "stop", "seed");

    /** The request with the options applied, and the names of those ignored. */
    record Read(ChatRequest request, List<String> ignored) {
    }

    private Options() {
    }

    static Read read(Fields f, ChatRequest request) {
        if (f == null) {
            return new Read(request, List.of());
        }
        List<String> ignored = new ArrayList<>();
        for (Iterator<String> names = f.node().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (IGNORED.contains(name)) {
                JsonNode v = f.get(name);
                if (v != null && !v.isNumber() && !v.isBoolean()) {
                    throw f.wrongType(name, "a number or true/false", v);
                }
                ignored.add(name);
            } else if (!APPLIED.contains(name)) {
                throw new BadRequest(f.at(name), "unknown option " + f.at(name) + "; Hearth applies "
                        + String.join(", ", APPLIED.stream().sorted().toList()) + " and reads Ollama's others");
            }
        }
        Double temperature = f.number("temperature");
        if (temperature != null) {
            request = request.withTemperature(checked(f.at("temperature"),
                    () -> SamplingLimits.temperature(temperature, f.at("temperature"))));
        }
        Double topP = f.number("top_p");
        if (topP != null) {
            request = request.withTopP(checked(f.at("top_p"), () -> SamplingLimits.topP(topP, f.at("top_p"))));
        }
        Long predict = f.integer("num_predict");
        if (predict != null && predict >= 0) { // -1 (no limit) and -2 (fill the context) keep the server's default
            if (predict < 1 || predict > SamplingLimits.MAX_TOKENS) {
                throw new BadRequest(f.at("num_predict"), f.at("num_predict") + " must be from 1 to "
                        + SamplingLimits.MAX_TOKENS + ", or negative for the server's default, not " + predict);
            }
            request = request.withMaxTokens(predict.intValue());
        }
        request = request.withStop(stops(f));
        f.integer("seed");
        return new Read(request, List.copyOf(ignored));
    }

    private static List<String> stops(Fields f) {
        JsonNode stop = f.array("stop");
        List<String> out = new ArrayList<>();
        if (stop != null) {
            for (int i = 0; i < stop.size(); i++) {
                String at = f.at("stop") + "[" + i + "]";
                if (!stop.get(i).isTextual() || stop.get(i).textValue().isEmpty()) {
                    throw new BadRequest(at, at + " must be a non-empty string, not " + Fields.kind(stop.get(i)));
                }
                out.add(stop.get(i).textValue());
            }
        }
        return out;
    }

    private static double checked(String field, java.util.function.DoubleSupplier check) {
        try {
            return check.getAsDouble();
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field, e.getMessage());
        }
    }
}
