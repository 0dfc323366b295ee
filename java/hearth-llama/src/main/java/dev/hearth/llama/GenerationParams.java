package dev.hearth.llama;

import java.util.List;
import java.util.Objects;

/**
 * One generation: how many tokens, when to stop, how to sample.
 *
 * @param maxTokens      most tokens to generate
 * @param stopSequences  text that ends the generation; it is not part of the output
 * @param sampling       how each token is chosen
 * @param ignoreEog      keep going past end-of-generation tokens (benchmarks); normally false
 * @param addSpecial     add the model's BOS token in front of the prompt, if it wants one
 * @param parseSpecial   let control tokens written in the prompt (e.g. {@code <|im_start|>}) be parsed as such
 * @param grammar        a grammar the output must follow ({@link Grammar#NONE} for none)
 * @param speculation    whether the engine drafts tokens ahead and verifies them in one batch (same output)
 */
public record GenerationParams(int maxTokens, List<String> stopSequences, SamplingParams sampling,
        boolean ignoreEog, boolean addSpecial, boolean parseSpecial, Grammar grammar, Speculation speculation) {
    public GenerationParams {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, not " + maxTokens);
        }
        stopSequences = List.copyOf(stopSequences);
        if (stopSequences.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a stop sequence must not be empty");
        }
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(grammar, "grammar");
        Objects.requireNonNull(speculation, "speculation");
    }

    public static GenerationParams defaults() {
        return new GenerationParams(256, List.of(), SamplingParams.defaults(), false, true, true, Grammar.NONE,
                Speculation.auto());
    }

    public GenerationParams withMaxTokens(int n) {
        return new GenerationParams(n, stopSequences, sampling, ignoreEog, addSpecial, parseSpecial,
                grammar, speculation);
    }

    public GenerationParams withStopSequences(List<String> stops) {
        return new GenerationParams(maxTokens, stops, sampling, ignoreEog, addSpecial, parseSpecial,
                grammar, speculation);
    }

    public GenerationParams withSampling(SamplingParams s) {
        return new GenerationParams(maxTokens, stopSequences, s, ignoreEog, addSpecial, parseSpecial,
                grammar, speculation);
    }

    public GenerationParams withIgnoreEog(boolean ignore) {
        return new GenerationParams(maxTokens, stopSequences, sampling, ignore, addSpecial, parseSpecial,
                grammar, speculation);
    }

    public GenerationParams withAddSpecial(boolean add) {
        return new GenerationParams(maxTokens, stopSequences, sampling, ignoreEog, add, parseSpecial,
                grammar, speculation);
    }

    public GenerationParams withGrammar(Grammar g) {
        return new GenerationParams(maxTokens, stopSequences, sampling, ignoreEog, addSpecial, parseSpecial,
                g, speculation);
    }

    public GenerationParams withSpeculation(Speculation s) {
        return new GenerationParams(maxTokens, stopSequences, sampling, ignoreEog, addSpecial, parseSpecial,
                grammar, s);
    }

    /** Output that follows a JSON schema (see {@link Grammar#jsonSchema}). */
    public GenerationParams withJsonSchema(String schemaJson) {
        return withGrammar(Grammar.jsonSchema(schemaJson));
    }
}
