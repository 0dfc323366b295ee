package dev.hearth.ledger;

import java.util.Locale;

/** Where a call came in. */
public enum EntryPoint {
    JAVA_API, CLI, HTTP,
    /** LangChain4j's ChatModel and StreamingChatModel (hearth-langchain4j). */
    LANGCHAIN4J;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
