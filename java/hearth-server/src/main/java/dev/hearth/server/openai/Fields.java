package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed reads of one JSON object's fields, each refusal naming the field by its path ({@code messages[1].content})
 * and the type or range it must have.
 */
public record Fields(JsonNode node, String path) {
    public static Fields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new BadRequest(path.isEmpty() ? null : path, (path.isEmpty() ? "the request body" : path)
                    + " must be a JSON object, not " + kind(node));
        }
        return new Fields(node, path);
    }

    public String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Refuses any field not in {@code known}, naming it (a typo must not be silently ignored). */
    public void only(Set<String> known, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadRequest(at(name), "unknown field " + at(name) + " in " + what + "; the fields Hearth"
                        + " reads are " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** The field, or null when it is absent or JSON null. */
    public JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    public String string(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.textValue();
    }

    public String requiredString(String field) {
        String s = string(field);
        if (s == null) {
            throw new BadRequest(at(field), at(field) + " is required: a string");
        }
        return s;
    }

    public Boolean bool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.booleanValue();
    }

    public Double number(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        return v.doubleValue();
    }

    /** An integer that fits a long; 1.0 is refused like "1" (OpenAI's SDKs never send either). */
    public Long integer(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(field, "an integer", v);
        }
        return v.longValue();
    }

    public JsonNode array(String field) {
        JsonNode v = get(field);
        if (v != null && !v.isArray()) {
            throw wrongType(field, "an array", v);
        }
        return v;
    }

    public Fields object(String field) {
        JsonNode v = get(field);
        return v == null ? null : Fields.of(v, at(field));
    }

    public BadRequest wrongType(String field, String expected, JsonNode actual) {
        return new BadRequest(at(field), at(field) + " must be " + expected + ", not " + kind(actual));
    }

    public static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "the number " + v.asText();
            case BOOLEAN -> v.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
