package dev.hearth.api;

import java.util.Objects;

/**
 * A tool (function) a model may call.
 *
 * @param name        the function name
 * @param description what it does, for the model
 * @param parameters  a JSON schema of its arguments, as text
 */
public record Tool(String name, String description, String parameters) {
    public Tool {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tool needs a name");
        }
        description = description == null ? "" : description;
        parameters = parameters == null || parameters.isBlank() ? "{\"type\":\"object\",\"properties\":{}}" : parameters;
    }
}
