package dev.hearth.api;

/**
 * What a backend can do, for the router to choose by.
 *
 * @param tools          it takes tools and returns tool calls
 * @param jsonSchema     it can hold its output to a JSON schema
 * @param vision         it reads images
 * @param streaming      it streams tokens as they are generated
 * @param contextLength  tokens of context, 0 if unknown
 */
public record Capabilities(boolean tools, boolean jsonSchema, boolean vision, boolean streaming, int contextLength) {
}
