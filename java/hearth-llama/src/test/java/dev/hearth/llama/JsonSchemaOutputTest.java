package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.TokenSink;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output constrained by a JSON schema, on the random-weight model (an adversary that would write anything): every
 * output must parse and validate against its schema with an independent validator (networknt). Strings carry a
 * maxLength and arrays a maxItems so that a model with no reason to stop still finishes within the token budget.
 * The random model picks byte tokens freely, so this also checks that constrained output stays valid UTF-8.
 */
class JsonSchemaOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LlamaModel model;
    private static LlamaContext ctx;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
        ctx = model.newContext(TestModels.context().withContextSize(1024));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<String> schemas() {
        List<String> schemas = new ArrayList<>(List.of(
                "{\"type\":\"integer\",\"minimum\":-5,\"maximum\":300}",
                "{\"type\":\"boolean\"}",
                "{\"type\":\"string\",\"maxLength\":6}",
                "{\"enum\":[\"red\",\"green\",\"blue\"]}",
                "{\"const\":\"fixed\"}",
                "{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9},\"minItems\":2,\"maxItems\":4}",
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":8},\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":120}},\"required\":[\"name\",\"age\"],\"additionalProperties\":false}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":3},\"b\":{\"type\":\"boolean\"}},\"required\":[\"a\"],\"additionalProperties\":false}",
                "{\"anyOf\":[{\"type\":\"integer\",\"minimum\":0,\"maximum\":10},{\"type\":\"string\",\"maxLength\":4}]}",
                "{\"oneOf\":[{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"circle\"},\"r\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9}},\"required\":[\"kind\",\"r\"],\"additionalProperties\":false},{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"square\"},\"side\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9}},\"required\":[\"kind\",\"side\"],\"additionalProperties\":false}]}",
                "{\"$defs\":{\"point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":99},\"y\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":99}},\"required\":[\"x\",\"y\"],\"additionalProperties\":false}},\"type\":\"object\",\"properties\":{\"from\":{\"$ref\":\"#/$defs/point\"},\"to\":{\"$ref\":\"#/$defs/point\"}},\"required\":[\"from\",\"to\"],\"additionalProperties\":false}",
                "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\",\"maxLength\":3},{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}],\"minItems\":2,\"maxItems\":2}",
                "{\"type\":\"null\"}",
                "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"x\",\"y\",\"z\"]},\"maxItems\":3}},\"required\":[\"tags\"],\"additionalProperties\":false}",
                "{\"type\":\"string\",\"enum\":[\"2024-01-01\",\"2025-12-31\"]}"));
        SplittableRandom random = new SplittableRandom(42);
        while (schemas.size() < 60) {
            ObjectNode defs = JSON.createObjectNode();
            ObjectNode schema = randomSchema(random, 0, defs);
            if (!defs.isEmpty()) {
                schema.set("$defs", defs);
            }
            schemas.add(schema.toString());
        }
        return schemas.stream();
    }

    // Objects, bounded arrays, enums, consts, anyOf, $ref/$defs, bounded integers, optional properties.
    private static ObjectNode randomSchema(SplittableRandom r, int depth, ObjectNode defs) {
        ObjectNode s = JSON.createObjectNode();
        int kind = depth >= 2 ? r.nextInt(4) : r.nextInt(8);
        switch (kind) {
            case 0 -> s.put("type", "integer").put("minimum", -r.nextInt(50)).put("maximum", r.nextInt(1000));
            case 1 -> s.put("type", "string").put("maxLength", 1 + r.nextInt(8));
            case 2 -> {
                ArrayNode e = s.putArray("enum");
                for (int i = 0; i <= r.nextInt(4); i++) {
                    e.add("v" + i + "_" + r.nextInt(100));
                }
            }
            case 3 -> s.put("const", r.nextInt(1000));
            case 4, 5 -> {
                s.put("type", "object").put("additionalProperties", false);
                ObjectNode props = s.putObject("properties");
                ArrayNode required = s.putArray("required");
                for (int i = 0; i < 1 + r.nextInt(3); i++) {
                    props.set("p" + i, randomSchema(r, depth + 1, defs));
                    if (r.nextBoolean()) {
                        required.add("p" + i);
                    }
                }
            }
            case 6 -> s.put("type", "array").put("maxItems", 1 + r.nextInt(3)).put("minItems", r.nextInt(2))
                    .set("items", randomSchema(r, depth + 1, defs));
            default -> {
                if (r.nextBoolean()) {
                    String name = "d" + defs.size();
                    defs.set(name, randomSchema(r, depth + 1, defs));
                    s.put("$ref", "#/$defs/" + name);
                } else {
                    ArrayNode any = s.putArray("anyOf");
                    any.add(randomSchema(r, depth + 1, defs));
                    any.add(randomSchema(r, depth + 1, defs));
                }
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void everyOutputParsesAndValidates(String schema) throws Exception {
        GenerationParams params = GenerationParams.defaults().withMaxTokens(2000).withJsonSchema(schema)
                .withSampling(SamplingParams.defaults().withTemperature(1.0f).withSeed(Math.abs(schema.hashCode()) % 1000));
        GenerationResult r = ctx.generate("Answer in JSON:", params, TokenSink.discard());
        assertThat(r.finishReason()).as("schema %s, output %s", schema, r.text()).isEqualTo(FinishReason.END_OF_GENERATION);
        assertThat(ChatTemplatesTest.validate(schema, r.text())).as("schema %s, output %s", schema, r.text()).isEmpty();
    }

    @Test
    void aSchemaLlamaCppCannotConvertIsRefusedWithItsReason() {
        assertThatThrownBy(() -> Grammar.jsonSchema("{\"type\":\"no-such-type\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> Grammar.jsonSchema("{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Grammar.jsonSchema("{\"type\":\"array\",\"items\":false}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("items");
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
}
