package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sampling with a grammar checks the unconstrained pick against the grammar and filters the whole vocabulary only
 * when the grammar refuses it (llama.cpp's common sampler does the same). With greedy sampling that must pick exactly
 * the tokens the old way picked (filter every candidate, then pick): both ways run here on the same model, and the
 * random-weight models refuse often enough that both the quick check and the fallback are taken.
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

    @ParameterizedTest
    @MethodSource("models")
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

    /** Runs {@code generation} the old way and the new way, checks they agree, and returns the new way's result. */
    private static GenerationResult bothWays(Supplier<GenerationResult> generation) {
        GenerationResult old;
        Sampler.grammarFirstForTests(true);
        try {
            old = generation.get();
        } finally {
            Sampler.grammarFirstForTests(false);
        }
        GenerationResult fast = generation.get();
        assertThat(fast.tokens()).as("tokens").containsExactly(old.tokens());
        assertThat(fast.text()).isEqualTo(old.text());
        assertThat(fast.finishReason()).isEqualTo(old.finishReason());
        return fast;
    }
}
