/**
 * LangChain4j over Hearth: a {@code ChatModel}, a {@code StreamingChatModel} and an {@code EmbeddingModel} whose calls go
 * through {@link dev.hearth.runtime.Hearth}'s one front door (routing, the privacy guard, budgets, the ledger), never to
 * a backend directly.
 */
module dev.hearth.langchain4j {
    requires transitive dev.hearth.runtime;
    requires transitive langchain4j.core;
    requires com.fasterxml.jackson.databind; // a LangChain4j JSON schema becomes the schema text Hearth reads

    exports dev.hearth.langchain4j;
}
