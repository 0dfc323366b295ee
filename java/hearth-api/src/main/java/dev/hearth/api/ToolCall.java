package dev.hearth.api;

import java.util.Objects;

/**
 * A call of a tool that a model asked for.
 *
 * @param id         the call's id (echoed back in the tool's result message)
 * @param name       the tool's name
 * @param arguments  the arguments, a JSON object as text
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        id = id == null ? "" : id;
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
