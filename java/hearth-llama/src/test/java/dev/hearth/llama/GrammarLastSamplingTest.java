package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.llama.internal.Sampler.GrammarWay;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sampling with a grammar checks the unconstrained pick against the grammar (as llama.cpp's common sampler does) and,
 * when the grammar refuses it, checks the best candidates first instead of filtering the whole vocabulary. With greedy
 * sampling that must pick exactly the tokens of the old ways (filter every candidate, then pick; or filter every
 * candidate after a refusal); with top-k sampling exactly the tokens of filtering after a refusal, from the same seed
 * (both draw twice when the first pick is refused). All ways run here on the same model, and the random-weight models
 * refuse often enough that the check, the best-first search and the whole-vocabulary filter are all taken.
 */
class GrammarLastSamplingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSON = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\","
            + "\"maxLength\":8},\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":120},\"tags\":{\"type\":"
            + "\"array\",\"items\":{\"enum\":[\"x\",\"yy\",\"z\"]},\"maxItems\":3}},\"required\":[\"name\",\"age\"],"
            + "\"additionalProperties\":false}";

    static Stream<SyntheticModel> models() {
        return Stream.of(SyntheticModel.tiny(),
                new SyntheticModel("v", 64, 1, 4, 2, 128, 60000, 2048, WeightType.F32, false, 3));
    }

    /** The tiny model, and one with the vocabulary size of the Qwen-shaped benchmark model (151,936 tokens). */
    static Stream<SyntheticModel> smallAndLargeVocabulary() {
        return Stream.of(SyntheticModel.tiny(),
                new SyntheticModel("q", 64, 1, 4, 2, 128, 151936, 2048, WeightType.F32, true, 5));
    }

    @ParameterizedTest
    @MethodSource("smallAndLargeVocabulary")
    void greedyJsonOutputIsTheSameTokenForToken(SyntheticModel synthetic) throws Exception {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            for (String prompt : List.of("Answer in JSON:", "Describe a person", "{")) {
                GenerationParams params = GenerationParams.defaults().withMaxTokens(300).withJsonSchema(PERSON)
                        .withSampling(SamplingParams.greedy());
                GenerationResult fast = bothWays(() -> ctx.generate(prompt, params, TokenSink.discard()));
                assertThat(fast.finishReason()).isEqualTo(FinishReason.END_OF_GENERATION);
                assertThat(JSON.readTree(fast.text()).get("age").isInt()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void penaltiesAndLogitBiasAfterTheGrammarPickTheSameTokens(SyntheticModel synthetic) {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            // favour the tokens of '"' and '}', which the grammar often refuses: the fallback must still agree
            int quote = model.tokenize("\"", false, false)[0];
            int brace = model.tokenize("}", false, false)[0];
            SamplingParams sampling = SamplingParams.greedy().withPenalties(1.3f, 0.2f, 0.1f, 32)
                    .withLogitBias(Map.of(quote, 4f, brace, 3f));
            GenerationParams params = GenerationParams.defaults().withMaxTokens(300).withJsonSchema(PERSON)
                    .withSampling(sampling);
            bothWays(() -> ctx.generate("Answer in JSON:", params, TokenSink.discard()));
            Grammar digits = Grammar.gbnf("root ::= [0-9]{1,12} \" \" [a-z]{1,20}");
            bothWays(() -> ctx.generate("Count:", params.withGrammar(digits), TokenSink.discard()));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void aLazyGrammarPicksTheSameTokensBeforeAndAfterItsTrigger(SyntheticModel synthetic) {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            GenerationParams free = GenerationParams.defaults().withMaxTokens(12).withIgnoreEog(true)
                    .withSampling(SamplingParams.greedy());
            int[] unconstrained = ctx.generate("Call a tool:", free, TokenSink.discard()).tokens();
            // the trigger: a token the free text reaches, so the grammar starts part-way through the output
            int trigger = Arrays.stream(unconstrained).skip(2)
                    .filter(t -> model.detokenize(new int[] {t}, false, false).matches("[a-z]+"))
                    .findFirst().orElse(-1);
            if (trigger < 0) {
                trigger = model.tokenize("a", false, false)[0]; // no such token: the grammar stays asleep throughout
            }
            String piece = model.detokenize(new int[] {trigger}, false, false);
            Grammar lazy = new Grammar("root ::= \"" + piece + "\" [0-9a-f ]{0,30}", true, List.of(), List.of(trigger));
            GenerationParams params = GenerationParams.defaults().withMaxTokens(60).withGrammar(lazy)
                    .withSampling(SamplingParams.greedy());
            bothWays(() -> ctx.generate("Call a tool:", params, TokenSink.discard()));
        }
    }

    @ParameterizedTest
    @MethodSource("smallAndLargeVocabulary")
    void topKSamplingDrawsTheSameTokensAsFilteringAfterARefusal(SyntheticModel synthetic) throws Exception {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            int quote = model.tokenize("\"", false, false)[0];
            for (long seed : new long[] {1, 2, 3}) {
                for (SamplingParams sampling : List.of(SamplingParams.defaults().withTemperature(1.5f),
                        SamplingParams.defaults().withTopK(200).withTopP(1f).withMinP(0f).withTemperature(2f),
                        SamplingParams.defaults().withPenalties(1.2f, 0.1f, 0.1f, 16)
                                .withLogitBias(Map.of(quote, 3f)),
                        // no top-k: every refusal filters the whole vocabulary, through the prefix forest
                        SamplingParams.defaults().withTopK(0).withTemperature(1.5f))) {
                    GenerationParams params = GenerationParams.defaults().withMaxTokens(200).withJsonSchema(PERSON)
                            .withSampling(sampling.withSeed(seed));
                    GenerationResult best = sameAs(GrammarWay.FILTER_ON_REFUSAL,
                            () -> ctx.generate("Answer in JSON:", params, TokenSink.discard()));
                    if (best.finishReason() == FinishReason.END_OF_GENERATION) {
                        assertThat(JSON.readTree(best.text()).get("age").isInt()).as(best.text()).isTrue();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("smallAndLargeVocabulary")
    void charactersOfSeveralBytesPickTheSameTokens(SyntheticModel synthetic) {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            // the synthetic vocabularies spell these with byte tokens: every other pick holds an incomplete character
            Grammar words = Grammar.gbnf("root ::= (\"é\" | \"ß\" | \"€\" | \"日本\" | \" \"){6,30}");
            for (SamplingParams sampling : List.of(SamplingParams.greedy(), SamplingParams.defaults().withSeed(4),
                    SamplingParams.defaults().withTopK(0).withSeed(5))) {
                GenerationParams params = GenerationParams.defaults().withMaxTokens(80).withGrammar(words)
                        .withSampling(sampling);
                GrammarWay old = sampling.isGreedy() ? GrammarWay.FILTER_FIRST : GrammarWay.FILTER_ON_REFUSAL;
                GenerationResult r = sameAs(old, () -> ctx.generate("Write:", params, TokenSink.discard()));
                if (r.finishReason() == FinishReason.END_OF_GENERATION) {
                    assertThat(r.text()).matches("(é|ß|€|日本| ){6,30}");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("smallAndLargeVocabulary")
    void aTokenTheGrammarRefusesIsNeverEmittedHoweverLikely(SyntheticModel synthetic) {
        try (LlamaModel model = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults());
                LlamaContext ctx = model.newContext(TestModels.context().withContextSize(1024))) {
            // letters pushed far above every digit: every first pick is refused, the grammar decides every token
            Map<Integer, Float> letters = new HashMap<>();
            for (String letter : List.of("a", "e", "x", "Q")) {
                letters.put(model.tokenize(letter, false, false)[0], 30f);
            }
            Grammar digits = Grammar.gbnf("root ::= [0-9]{4,40}");
            // top-k 0: the best-first search does not apply, the whole vocabulary is filtered; then top-k 40 and greedy
            for (SamplingParams sampling : List.of(SamplingParams.defaults().withTopK(0), SamplingParams.defaults(),
                    SamplingParams.greedy())) {
                for (long seed : new long[] {7, 8}) {
                    GenerationParams params = GenerationParams.defaults().withMaxTokens(48).withGrammar(digits)
                            .withSampling(sampling.withLogitBias(letters).withSeed(seed));
                    GenerationResult r = ctx.generate("Count:", params, TokenSink.discard());
                    assertThat(r.text()).matches("[0-9]{4,40}");
                    for (int token : r.tokens()) {
                        assertThat(letters).doesNotContainKey(token);
                    }
                }
            }
        }
    }

    /** Runs {@code generation} the old ways and the new way, checks they agree, and returns the new way's result. */
    private static GenerationResult bothWays(Supplier<GenerationResult> generation) {
        sameAs(GrammarWay.FILTER_ON_REFUSAL, generation);
        return sameAs(GrammarWay.FILTER_FIRST, generation);
    }

    /** Runs {@code generation} the way {@code old} and best first, checks they agree, returns best first's result. */
    private static GenerationResult sameAs(GrammarWay old, Supplier<GenerationResult> generation) {
        GenerationResult before;
        Sampler.grammarWayForTests(old);
        try {
            before = generation.get();
        } finally {
            Sampler.grammarWayForTests(GrammarWay.BEST_FIRST);
        }
        GenerationResult fast = generation.get();
        assertThat(fast.tokens()).as("tokens").containsExactly(before.tokens());
        assertThat(fast.text()).isEqualTo(before.text());
        assertThat(fast.finishReason()).isEqualTo(before.finishReason());
        return fast;
    }
}
