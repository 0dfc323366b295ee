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

    record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(schema, "schema");
            name = name == null || name.isBlank() ? "response" : name;
        }
    }
}
