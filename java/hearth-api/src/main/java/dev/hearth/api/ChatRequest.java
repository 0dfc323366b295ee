package dev.hearth.api;

import java.util.List;
import java.util.Objects;

/**
 * One chat request, the same for every backend (local or remote): the edges translate it into wire formats.
 *
 * @param model          the model's name at the backend (e.g. "claude-sonnet-4-6", "deepseek-flash")
 * @param messages       the conversation; system messages first
 * @param tools          tools the model may call
 * @param toolChoice     whether it must call them
 * @param maxTokens      most tokens to generate
 * @param temperature    sampling temperature, or null for the backend's default
 * @param topP           nucleus sampling, or null for the backend's default
 * @param seed           seed of the random draw, or null for the backend's own; the same seed, request and model give
 *                       the same answer locally, and remote vendors that take a seed try to (Anthropic takes none)
 * @param stop           stop sequences
 * @param responseFormat the shape of the answer
 * @param thinking       whether the model reasons first
 * @param speculation    speculative decoding for a local model (same output, sooner), or null for the model's own
 *                       setting (hearth.toml's {@code speculation}, else auto); remote models ignore it
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<Tool> tools, ToolChoice toolChoice,
        int maxTokens, Double temperature, Double topP, Long seed, List<String> stop, ResponseFormat responseFormat,
        Thinking thinking, SpeculationSetting speculation) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        stop = List.copyOf(stop);
        Objects.requireNonNull(responseFormat, "responseFormat");
        Objects.requireNonNull(thinking, "thinking");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        SamplingLimits.maxTokens(maxTokens, "max_tokens");
        if (temperature != null) {
            SamplingLimits.temperature(temperature, "temperature");
        }
        if (topP != null) {
            SamplingLimits.topP(topP, "top_p");
        }
    }

    /** A request with the defaults: no tools, 1,024 tokens at most, the backend's sampling, plain text. */
    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, List.of(), ToolChoice.AUTO, 1024, null, null, null, List.of(),
                ResponseFormat.TEXT, Thinking.DEFAULT, null);
    }

    public ChatRequest withModel(String m) {
        return new ChatRequest(m, messages, tools, toolChoice, maxTokens, temperature, topP, seed, stop,
                responseFormat, thinking, speculation);
    }

    public ChatRequest withMessages(List<ChatMessage> m) {
        return new ChatRequest(model, m, tools, toolChoice, maxTokens, temperature, topP, seed, stop, responseFormat,
                thinking, speculation);
    }

    public ChatRequest withTools(List<Tool> t, ToolChoice choice) {
        return new ChatRequest(model, messages, t, choice, maxTokens, temperature, topP, seed, stop, responseFormat,
                thinking, speculation);
    }

    public ChatRequest withMaxTokens(int n) {
        return new ChatRequest(model, messages, tools, toolChoice, n, temperature, topP, seed, stop, responseFormat,
                thinking, speculation);
    }

    public ChatRequest withTemperature(Double t) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, t, topP, seed, stop, responseFormat,
                thinking, speculation);
    }

    public ChatRequest withTopP(Double p) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, p, seed, stop,
                responseFormat, thinking, speculation);
    }

    public ChatRequest withSeed(Long s) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, s, stop,
                responseFormat, thinking, speculation);
    }

    public ChatRequest withStop(List<String> s) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, seed, s,
                responseFormat, thinking, speculation);
    }

    public ChatRequest withResponseFormat(ResponseFormat f) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, seed, stop, f,
                thinking, speculation);
    }

    public ChatRequest withThinking(Thinking t) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, seed, stop,
                responseFormat, t, speculation);
    }

    /** With speculative decoding as {@code s} says (null: the model's own setting). */
    public ChatRequest withSpeculation(SpeculationSetting s) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, seed, stop,
                responseFormat, thinking, s);
    }
}
