package dev.hearth.router;

import java.util.Objects;
import java.util.Set;

/**
 * What the router knows about a model.
 *
 * @param id              the name requests and configuration use ("local", "claude-sonnet-4-6", "deepseek-flash")
 * @param provider        "local", "anthropic", "deepseek", "openai", or a compatible server's name
 * @param model           the model's name at its backend (a GGUF name for local models)
 * @param local           whether it runs on this machine (nothing leaves it)
 * @param strengths       task classes it is good at
 * @param weaknesses      task classes to avoid it for
 * @param quality         0-1, for tiers and tie-breaks
 * @param contextWindow   tokens
 * @param tools           it takes tools
 * @param jsonSchema      it can hold output to a schema
 * @param inputPrice      US dollars per million input tokens (0 for local)
 * @param outputPrice     US dollars per million output tokens (0 for local)
 * @param maxOutput       the most tokens one answer may take: a request asking for more is capped to it
 */
public record ModelProfile(String id, String provider, String model, boolean local, Set<TaskClass> strengths,
        Set<TaskClass> weaknesses, double quality, int contextWindow, boolean tools, boolean jsonSchema,
        double inputPrice, double outputPrice, int maxOutput) {
    public ModelProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        strengths = Set.copyOf(strengths);
        weaknesses = Set.copyOf(weaknesses);
        if (contextWindow < 1 || maxOutput < 1) {
            throw new IllegalArgumentException(id + ": the context window and the max output must be at least 1 token");
        }
    }

    /** A profile whose answers may fill its context window. */
    public ModelProfile(String id, String provider, String model, boolean local, Set<TaskClass> strengths,
            Set<TaskClass> weaknesses, double quality, int contextWindow, boolean tools, boolean jsonSchema,
            double inputPrice, double outputPrice) {
        this(id, provider, model, local, strengths, weaknesses, quality, contextWindow, tools, jsonSchema, inputPrice,
                outputPrice, contextWindow);
    }

    /** {@code asked} tokens, or this model's max output when that is less. */
    public int outputCap(int asked) {
        return Math.min(asked, maxOutput);
    }

    public boolean strongAt(TaskClass c) {
        return strengths.contains(c);
    }

    /** Estimated dollars for a request of {@code inputTokens} that generates {@code outputTokens}. */
    public double cost(long inputTokens, long outputTokens) {
        return (inputTokens * inputPrice + outputTokens * outputPrice) / 1_000_000.0;
    }
}
