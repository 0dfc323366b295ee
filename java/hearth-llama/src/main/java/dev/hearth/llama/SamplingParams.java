package dev.hearth.llama;

import java.util.Map;

/**
 * How the next token is chosen. A temperature of 0 (or below) is greedy; otherwise the chain is llama.cpp's
 * usual one: logit bias, penalties, top-k, top-p, min-p, temperature, then a seeded random draw.
 *
 * @param temperature    0 for greedy decoding
 * @param topK           keep the k most likely tokens (0 = off)
 * @param topP           nucleus sampling threshold (1 = off)
 * @param minP           drop tokens below minP times the best probability (0 = off)
 * @param seed           seed of the random draw; the same seed gives the same tokens
 * @param repeatPenalty  penalty for repeated tokens (1 = off)
 * @param frequencyPenalty  OpenAI-style frequency penalty (0 = off)
 * @param presencePenalty   OpenAI-style presence penalty (0 = off)
 * @param penaltyLastN   how many recent tokens the penalties look at
 * @param logitBias      token id to bias added to its logit (negative infinity bans a token)
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, long seed, float repeatPenalty,
        float frequencyPenalty, float presencePenalty, int penaltyLastN, Map<Integer, Float> logitBias) {
    public SamplingParams {
        dev.hearth.api.SamplingLimits.temperature(temperature, "temperature");
        dev.hearth.api.SamplingLimits.topK(topK, "top_k");
        dev.hearth.api.SamplingLimits.topP(topP, "top_p");
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be from 0 to 1, not " + minP);
        }
        if (!(repeatPenalty > 0) || !Float.isFinite(frequencyPenalty) || !Float.isFinite(presencePenalty)
                || penaltyLastN < 0) {
            throw new IllegalArgumentException("need repeatPenalty > 0, finite frequency/presence penalties and"
                    + " penaltyLastN >= 0");
        }
        if (seed < 0 || seed > 0xFFFFFFFEL) {
            throw new IllegalArgumentException("seed must be between 0 and 4294967294, not " + seed);
        }
        logitBias = Map.copyOf(logitBias);
    }

    /** Greedy decoding: deterministic, the most likely token every time. */
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 0, 1f, 0f, 0f, 64, Map.of());
    }

    /** llama.cpp's default sampling: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05. */
    public static SamplingParams defaults() {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 0, 1f, 0f, 0f, 64, Map.of());
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, seed, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, logitBias);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, s, repeatPenalty, frequencyPenalty,
                presencePenalty, penaltyLastN, logitBias);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, seed, repeatPenalty, frequencyPenalty,
                presencePenalty, penaltyLastN, logitBias);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, seed, repeatPenalty, frequencyPenalty,
                presencePenalty, penaltyLastN, logitBias);
    }

    public SamplingParams withMinP(float p) {
        return new SamplingParams(temperature, topK, topP, p, seed, repeatPenalty, frequencyPenalty,
                presencePenalty, penaltyLastN, logitBias);
    }

    public SamplingParams withPenalties(float repeat, float frequency, float presence, int lastN) {
        return new SamplingParams(temperature, topK, topP, minP, seed, repeat, frequency, presence, lastN, logitBias);
    }

    public SamplingParams withLogitBias(Map<Integer, Float> bias) {
        return new SamplingParams(temperature, topK, topP, minP, seed, repeatPenalty, frequencyPenalty,
                presencePenalty, penaltyLastN, bias);
    }

    /** True when the temperature is 0 or below: sampling is a plain arg-max. */
    public boolean isGreedy() {
        return temperature <= 0f;
    }

    /** True when a repeat, frequency or presence penalty changes the logits. */
    public boolean hasPenalties() {
        return repeatPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f;
    }
}
