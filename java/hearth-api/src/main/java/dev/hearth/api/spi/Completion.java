package dev.hearth.api.spi;

import java.time.Duration;

/**
 * A finished raw completion and its figures.
 *
 * @param text               what was generated
 * @param finishReason       why it stopped, in the backend's words (max_tokens, end_of_generation, ...)
 * @param promptTokens       tokens of the prompt
 * @param cachedPromptTokens of them, those a cache already held
 * @param firstToken         time to the first generated token
 * @param generatedTokens    tokens generated
 * @param tokensPerSecond    decode speed
 */
public record Completion(String text, String finishReason, int promptTokens, int cachedPromptTokens,
        Duration firstToken, int generatedTokens, double tokensPerSecond) {
}
