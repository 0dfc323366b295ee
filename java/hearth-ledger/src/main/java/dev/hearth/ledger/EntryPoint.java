package dev.hearth.ledger;

import java.util.Locale;

/** Where a call came in. */
public enum EntryPoint {
    JAVA_API, CLI, HTTP,
    /** Spring AI's ChatModel and ChatClient (hearth-spring-ai). */
    SPRING_AI;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
