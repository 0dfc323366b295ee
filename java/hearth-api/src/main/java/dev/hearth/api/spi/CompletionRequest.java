package dev.hearth.api.spi;

import java.util.List;

/**
 * What a raw completion may do.
 *
 * @param maxTokens   most tokens to generate
 * @param temperature 0 for greedy
 * @param topK        top-k (0: off)
 * @param topP        nucleus sampling
 * @param seed        sampling seed
 * @param stop        stop sequences
 * @param ignoreEos   keep going past end-of-generation tokens
 * @param jsonSchema  a JSON schema the output must follow (null: none)
 * @param grammar     a GBNF grammar the output must follow (null: none; ignored with a schema)
 */
public record CompletionRequest(int maxTokens, double temperature, int topK, double topP, long seed, List<String> stop,
        boolean ignoreEos, String jsonSchema, String grammar) {
    public CompletionRequest {
        dev.hearth.api.SamplingLimits.maxTokens(maxTokens, "max_tokens");
        dev.hearth.api.SamplingLimits.temperature(temperature, "temperature");
        dev.hearth.api.SamplingLimits.topK(topK, "top_k");
        dev.hearth.api.SamplingLimits.topP(topP, "top_p");
        stop = List.copyOf(stop);
    }
}
