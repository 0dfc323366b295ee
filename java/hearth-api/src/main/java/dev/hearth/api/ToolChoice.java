package dev.hearth.api;

import java.util.Objects;

/** Whether and which tools a model must call. */
public sealed interface ToolChoice {
    /** The model decides. */
    ToolChoice AUTO = new Auto();
    /** No tool calls. */
    ToolChoice NONE = new None();
    /** At least one tool call. */
    ToolChoice REQUIRED = new Required();

    /** This tool must be called. */
    static ToolChoice named(String name) {
        return new Named(name);
    }

    record Auto() implements ToolChoice {
    }

    record None() implements ToolChoice {
    }

    record Required() implements ToolChoice {
    }

    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }
}
