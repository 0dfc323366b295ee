package dev.hearth.api;

import java.util.Objects;

/** The shape the answer must have. */
public sealed interface ResponseFormat {
    ResponseFormat TEXT = new Text();
    ResponseFormat JSON_OBJECT = new JsonObject();

    /** Output valid against a JSON schema ({@code schema} as text); {@code strict} asks the vendor to enforce it. */
    static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
        return new JsonSchema(name, schema, strict);
    }

    record Text() implements ResponseFormat {
    }

    record JsonObject() implements ResponseFormat {
    }

    /**
     * @param lenient  false (the default): a schema keyword that a local model's grammar cannot enforce is refused up
     *                 front, naming it and its JSON pointer; true: such keywords are left to the validator, which
     *                 checks every answer either way (an answer that fails is an error, never returned)
     */
    record JsonSchema(String name, String schema, boolean strict, boolean lenient) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(schema, "schema");
            name = name == null || name.isBlank() ? "response" : name;
        }

        public JsonSchema(String name, String schema, boolean strict) {
            this(name, schema, strict, false);
        }

        /** The same format with another schema text (e.g. redacted). */
        public JsonSchema withSchema(String other) {
            return new JsonSchema(name, other, strict, lenient);
        }

        public JsonSchema withLenient(boolean on) {
            return new JsonSchema(name, schema, strict, on);
        }
    }
}
