package dev.hearth.schema;

import java.util.List;

/** An answer that does not validate against the schema it was asked for: never returned as if it did. */
public final class InvalidAnswerException extends IllegalStateException {
    private final List<String> violations;

    public InvalidAnswerException(List<String> violations) {
        super("the answer does not validate against its JSON schema: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
