package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.EmbeddingBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's {@code POST /v1/embeddings}: the body read and checked (text input only; {@code dimensions} only where it is
 * the model's own width, since Hearth's embedders cannot shorten their vectors), and the answer in OpenAI's list shape,
 * each vector as JSON floats or, for {@code encoding_format: base64}, as little-endian float32 bytes in base64 (what
 * OpenAI's SDKs decode). Plain functions of their arguments.
 */
public final class Embeddings {
    /** The most texts one request may embed (OpenAI's own limit, the runtime's). */
    public static final int MAX_INPUTS = dev.hearth.runtime.Vectors.MAX_TEXTS;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("model", "input", "encoding_format", "dimensions", "user");

    private Embeddings() {
    }

    /**
     * One request.
     *
     * @param model       the model as the client named it
     * @param input       the texts, in order
     * @param base64      answer each vector as base64 float32 instead of a JSON array
     * @param dimensions  the width the client asked for, or null
     */
    public record Request(String model, List<String> input, boolean base64, Integer dimensions) {
    }

    public static Request read(JsonNode body) {
        Fields f = Fields.of(body, "");
        f.only(FIELDS, "an embeddings request");
        String model = f.requiredString("model").strip();
        if (model.isEmpty()) {
            throw new BadRequest("model", "model is empty; name an embedding model (GET /v1/models lists them)");
        }
        String format = f.string("encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw new BadRequest("encoding_format", "encoding_format must be float or base64, not \"" + format + "\"");
        }
        Long dimensions = f.integer("dimensions");
        if (dimensions != null && (dimensions < 1 || dimensions > 1 << 16)) {
            throw new BadRequest("dimensions", "dimensions must be a positive width, not " + dimensions);
        }
        f.string("user");
        return new Request(model, input(f), "base64".equals(format), dimensions == null ? null
                : dimensions.intValue());
    }

    /**
     * {@code input}: a string or an array of 1 to {@value #MAX_INPUTS} strings, none empty (OpenAI's and Ollama's
     * embedding requests alike).
     */
    public static List<String> input(Fields f) {
        JsonNode input = f.get("input");
        if (input == null) {
            throw new BadRequest("input", "input is required: a string or an array of strings");
        }
        if (input.isTextual()) {
            return List.of(text(input, "input"));
        }
        if (!input.isArray()) {
            throw f.wrongType("input", "a string or an array of strings", input);
        }
        if (input.isEmpty() || input.size() > MAX_INPUTS) {
            throw new BadRequest("input", "input has " + input.size() + " texts; send from 1 to " + MAX_INPUTS);
        }
        List<String> out = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode t = input.get(i);
            if (!t.isTextual()) {
                throw new BadRequest("input[" + i + "]", "input[" + i + "] must be a string, not " + Fields.kind(t)
                        + (t.isNumber() || t.isArray() ? " (Hearth embeds text; send the text, not token ids)" : ""));
            }
            out.add(text(t, "input[" + i + "]"));
        }
        return out;
    }

    private static String text(JsonNode t, String at) {
        if (t.textValue().isEmpty()) {
            throw new BadRequest(at, at + " is empty; send text to embed");
        }
        return t.textValue();
    }

    /** Refuses a width the model cannot give. */
    public static void checkDimensions(Request r, int width) {
        if (r.dimensions() != null && r.dimensions() != width) {
            throw new BadRequest("dimensions", r.model() + " gives vectors of " + width + " dimensions and cannot"
                    + " shorten them; leave dimensions out or send " + width);
        }
    }

    /** The answer: one {@code embedding} per text in order, and the tokens read as the prompt's. */
    public static ObjectNode list(String model, List<EmbeddingBackend.Embedded> vectors, boolean base64) {
        ObjectNode out = JSON.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i).vector();
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", base64(v));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float x : v) {
                    values.add(x);
                }
            }
            tokens += vectors.get(i).tokens();
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }

    /** Little-endian float32, base64: what OpenAI sends and its SDKs decode. */
    public static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            bytes.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
