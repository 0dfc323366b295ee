package dev.hearth.ledger;

import java.util.Locale;

/** Where a call came in. */
public enum EntryPoint {
    JAVA_API, CLI, HTTP,
    /** LangChain4j's ChatModel and StreamingChatModel (hearth-langchain4j). */
    LANGCHAIN4J,
    /** Spring AI's ChatModel and ChatClient (hearth-spring-ai). */
    SPRING_AI;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
