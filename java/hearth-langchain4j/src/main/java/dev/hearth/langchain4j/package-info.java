/**
 * LangChain4j's model interfaces backed by the Hearth runtime: requests and answers translated at this edge, the route
 * decision in each answer's metadata ({@link dev.hearth.langchain4j.HearthChatResponseMetadata}). Every model here is
 * thread-safe, as the {@link dev.hearth.runtime.Hearth} it wraps is.
 */
package dev.hearth.langchain4j;
