package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.TokenSink;
import dev.hearth.schema.InvalidAnswerException;
import dev.hearth.schema.SchemaValidator;
import dev.hearth.schema.UnenforceableSchemaException;
import dev.hearth.testkit.SchemaCorpus;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.TestSeeds;
import dev.hearth.testkit.WeightType;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output constrained by a JSON schema, on random-weight models (adversaries that would write anything): every answer
 * to every schema of the corpus (testkit's SchemaCorpus: numeric ranges of every shape, formats, patterns, enums of
 * mixed types, nested and optional properties, maps, refs, combinators), with three seeds, on two vocabularies (the
 * tiny model's 1,024 tokens and a 151,936-token Qwen-shaped one), must parse and validate with the independent
 * validator. The random model picks byte tokens freely, so this also checks that constrained output stays valid
 * UTF-8.
 */
class JsonSchemaOutputTest {
    private static final long[] SEEDS = {1, 2, 3};
    private static LlamaModel model;
    private static LlamaContext ctx;
    private static LlamaModel wide;
    private static LlamaContext wideCtx;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
        ctx = model.newContext(TestModels.context().withContextSize(2048));
        wide = LlamaModel.load(TestModels.of(new SyntheticModel("synthetic-qwen-vocab", 64, 2, 4, 2, 128, 151936, 2048,
                WeightType.Q8_0, true, TestSeeds.replace(11))), ModelParams.defaults());
        wideCtx = wide.newContext(TestModels.context().withContextSize(2048));
    }

    @AfterAll
    static void close() {
        model.close();
        wide.close();
    }

    static Stream<Arguments> corpusOnBothVocabularies() {
        return Stream.of("1024 tokens", "151936 tokens").flatMap(v -> SchemaCorpus.all().stream()
                .map(e -> Arguments.of(v, e)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("corpusOnBothVocabularies")
    void everyAnswerValidates(String vocabulary, SchemaCorpus.Entry entry) {
        LlamaContext c = vocabulary.startsWith("1024") ? ctx : wideCtx;
        SchemaValidator validator = SchemaValidator.of(entry.schema());
        for (long seed : SEEDS) {
            GenerationParams params = GenerationParams.defaults().withMaxTokens(1500).withJsonSchema(entry.schema())
                    .withSampling(SamplingParams.defaults().withTemperature(1.0f).withSeed(seed));
            GenerationResult r = c.generate("Answer in JSON:", params, TokenSink.discard());
            assertThat(r.finishReason()).as("seed %d, output %s", seed, r.text()).isEqualTo(FinishReason.END_OF_GENERATION);
            assertThat(validator.violations(r.text())).as("seed %d, output %s", seed, r.text()).isEmpty();
            assertThat(r.text()).doesNotContain("\uFFFD");
        }
    }

    @Test
    void anAnswerCutOffBeforeItsJsonEndsIsAnErrorNotAResult() {
        GenerationParams params = GenerationParams.defaults().withMaxTokens(3)
                .withJsonSchema("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"minLength\":40,"
                        + "\"maxLength\":60}},\"required\":[\"text\"],\"additionalProperties\":false}");
        assertThatThrownBy(() -> ctx.generate("Answer in JSON:", params, TokenSink.discard()))
                .isInstanceOfSatisfying(InvalidAnswerException.class, e -> assertThat(e.violations()).singleElement()
                        .asString().contains("cut off after 3 tokens"));
    }

    @Test
    void aSchemaNoGrammarCanEnforceIsRefusedUpFrontUnlessLenient() {
        String unique = "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},"
                + "\"uniqueItems\":true,\"maxItems\":2}},\"required\":[\"tags\"],\"additionalProperties\":false}";
        assertThatThrownBy(() -> Grammar.jsonSchema(unique)).isInstanceOfSatisfying(UnenforceableSchemaException.class,
                e -> assertThat(e.pointer()).isEqualTo("#/properties/tags"));
        // lenient: sampled without uniqueItems; every answer is valid or an InvalidAnswerException naming the problem
        for (long seed = 1; seed <= 12; seed++) {
            GenerationParams params = GenerationParams.defaults().withMaxTokens(200).withGrammar(Grammar.jsonSchema(unique, true))
                    .withSampling(SamplingParams.defaults().withTemperature(1.0f).withSeed(seed));
            try {
                GenerationResult r = ctx.generate("Answer in JSON:", params, TokenSink.discard());
                assertThat(SchemaValidator.of(unique).violations(r.text())).isEmpty();
            } catch (InvalidAnswerException e) {
                assertThat(e.violations()).anySatisfy(v -> assertThat(v).containsIgnoringCase("unique"));
            }
        }
        assertThatThrownBy(() -> Grammar.jsonSchema("{\"type\":\"no-such-type\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> Grammar.jsonSchema("{not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constrainedOutputIsAlwaysValidUtf8() {
        // any characters but quotes: the random model reaches for its 256 byte tokens freely, and llama.cpp's
        // grammar alone would let it end a string on half a character or a stray continuation byte
        Grammar anyText = Grammar.gbnf("root ::= \"\\\"\" [^\"\\\\]{8,40} \"\\\"\"");
        for (long seed = 1; seed <= 25; seed++) {
            // up to 40 characters of up to 4 bytes, each byte possibly a token of its own
            GenerationParams params = GenerationParams.defaults().withMaxTokens(400).withGrammar(anyText)
                    .withSampling(SamplingParams.defaults().withTemperature(1.5f).withTopK(0).withTopP(1f).withMinP(0f)
                            .withSeed(seed));
            String text = ctx.generate("Say something:", params, TokenSink.discard()).text();
            assertThat(text).as("seed %d", seed).doesNotContain("\uFFFD").startsWith("\"").endsWith("\"");
        }
    }

    @Test
    void aRawGrammarConstrainsTheOutput() {
        GenerationParams params = GenerationParams.defaults().withMaxTokens(50)
                .withGrammar(Grammar.gbnf("root ::= (\"yes\" | \"no\") \" \" [0-9] [0-9]?"));
        String text = ctx.generate("Answer:", params, TokenSink.discard()).text();
        assertThat(text).matches("(yes|no) [0-9][0-9]?");
    }

    @Test
    void grammarsDeepEnoughToOverflowTheNativeStackAreRefused() {
        // both of these ended the JVM with SIGSEGV inside llama.cpp's recursive grammar code before the bounds
        String nested = "root ::= " + "(".repeat(100_000) + "\"a\"" + ")".repeat(100_000);
        StringBuilder chain = new StringBuilder("root ::= r0\n");
        for (int i = 0; i < 20_000; i++) {
            chain.append("r").append(i).append(" ::= r").append(i + 1).append(" | \"b\"\n");
        }
        assertThatThrownBy(() -> Grammar.gbnf(nested)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested");
        assertThatThrownBy(() -> Grammar.gbnf(chain.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules");
        assertThat(Grammar.gbnf("root ::= (\"(\" [)(] \")\")+ # ( unbalanced in a comment").gbnf()).isNotEmpty();
    }

    @Test
    void aBrokenGrammarIsRefusedBeforeGenerating() {
        GenerationParams params = GenerationParams.defaults().withGrammar(Grammar.gbnf("root ::= ( \"unclosed\""));
        assertThatThrownBy(() -> ctx.generate("x", params, TokenSink.discard()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grammar");
        assertThat(ctx.generate("x", GenerationParams.defaults().withMaxTokens(2).withIgnoreEog(true),
                TokenSink.discard()).generatedTokens()).isEqualTo(2);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":100}",
        "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":2,\"maxItems\":5000}",
        "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":5000},\"maxItems\":300000}"})
    void largeCountsOfComplexItemsMakeGrammarsLlamaCppParses(String schema) {
        // llama.cpp refuses to repeat a long inline group many times, and any rule more than 2,000 times
        GenerationParams params = GenerationParams.defaults().withMaxTokens(4).withGrammar(Grammar.jsonSchema(schema));
        parsesAndRuns(params);
    }

    // the grammar parsed and sampling ran: the answer is whole, or four tokens cut it off and the check says so
    private static void parsesAndRuns(GenerationParams params) {
        try {
            assertThat(ctx.generate("x", params, TokenSink.discard()).generatedTokens()).isPositive();
        } catch (dev.hearth.schema.InvalidAnswerException cutOff) {
            assertThat(cutOff).hasMessageContaining("cut off after 4");
        }
    }

    @Test
    void aMinimumNoGrammarCanHoldIsRefusedUpFrontUnlessLenient() {
        String many = "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":3000}";
        assertThatThrownBy(() -> Grammar.jsonSchema(many)).isInstanceOf(UnenforceableSchemaException.class)
                .hasMessageContaining("minItems");
        parsesAndRuns(GenerationParams.defaults().withMaxTokens(4).withGrammar(Grammar.jsonSchema(many, true)));
    }
}
