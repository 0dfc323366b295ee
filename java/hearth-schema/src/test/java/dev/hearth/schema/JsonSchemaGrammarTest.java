package dev.hearth.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.schema.JsonSchemaGrammar.Mode;
import dev.hearth.testkit.SchemaCorpus;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The converter without a model: random sentences of each grammar (GbnfSampler walks every alternative and
 * repetition count) must all validate with the independent validator, and what no grammar can enforce is refused
 * with its keyword and JSON pointer.
 */
class JsonSchemaGrammarTest {
    static Stream<SchemaCorpus.Entry> corpus() {
        return SchemaCorpus.all().stream();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void everySentenceOfTheGrammarValidates(SchemaCorpus.Entry entry) {
        String grammar = JsonSchemaGrammar.gbnf(entry.schema(), Mode.EXACT);
        SchemaValidator validator = SchemaValidator.of(entry.schema());
        GbnfSampler sampler = new GbnfSampler(grammar);
        SplittableRandom random = new SplittableRandom(entry.name().hashCode());
        Set<String> distinct = new TreeSet<>();
        for (int i = 0; i < 400; i++) {
            String sentence = sampler.sample(random);
            distinct.add(sentence);
            assertThat(validator.violations(sentence)).as("%s: %s%ngrammar:%n%s", entry.name(), sentence, grammar)
                    .isEmpty();
        }
        assertThat(distinct).as("a grammar that can write one answer only is too narrow").hasSizeGreaterThan(
                entry.name().contains("const") || entry.name().contains("single") ? 0 : 1);
    }

    @Test
    void theCorpusHasAtLeastEightySchemas() {
        assertThat(SchemaCorpus.all()).hasSizeGreaterThanOrEqualTo(80);
    }

    @Test
    void aSmallIntegerRangeIsExactlyTheRangeNotASubset() {
        assertThat(values("{\"type\":\"integer\",\"minimum\":-3,\"maximum\":4}"))
                .containsExactlyInAnyOrder("-3", "-2", "-1", "0", "1", "2", "3", "4");
        assertThat(values("{\"type\":\"integer\",\"exclusiveMinimum\":-3,\"exclusiveMaximum\":2}"))
                .containsExactlyInAnyOrder("-2", "-1", "0", "1");
        assertThat(values("{\"type\":\"integer\",\"multipleOf\":7,\"minimum\":-15,\"maximum\":30}"))
                .containsExactlyInAnyOrder("-14", "-7", "0", "7", "14", "21", "28");
        assertThat(values("{\"type\":\"integer\",\"multipleOf\":50,\"minimum\":20,\"maximum\":260}"))
                .containsExactlyInAnyOrder("50", "100", "150", "200", "250");
    }

    @Test
    void numberBoundsAreReachedAndNeverCrossed() {
        Set<String> unit = values("{\"type\":\"number\",\"minimum\":0,\"maximum\":1}");
        assertThat(unit).contains("0", "1").allSatisfy(v -> assertThat(new java.math.BigDecimal(v))
                .isBetween(java.math.BigDecimal.ZERO, java.math.BigDecimal.ONE));
        Set<String> open = values("{\"type\":\"number\",\"exclusiveMinimum\":-0.5,\"exclusiveMaximum\":0}");
        assertThat(open).isNotEmpty().allSatisfy(v -> assertThat(new java.math.BigDecimal(v))
                .isGreaterThan(new java.math.BigDecimal("-0.5")).isNegative());
    }

    private static Set<String> values(String schema) {
        GbnfSampler sampler = new GbnfSampler(JsonSchemaGrammar.gbnf(schema, Mode.EXACT));
        SplittableRandom random = new SplittableRandom(1);
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            out.add(sampler.sample(random));
        }
        return out;
    }

    static Stream<Arguments> unenforceable() {
        return Stream.of(
                Arguments.of("{\"type\":\"object\",\"properties\":{\"a\":{\"not\":{\"type\":\"string\"}}}}", "not", "#/properties/a"),
                Arguments.of("{\"if\":{\"type\":\"string\"},\"then\":{\"maxLength\":3}}", "if", "#"),
                Arguments.of("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"uniqueItems\":true}", "uniqueItems", "#"),
                Arguments.of("{\"type\":\"array\",\"contains\":{\"const\":1}}", "contains", "#"),
                Arguments.of("{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}", "oneOf", "#"),
                Arguments.of("{\"type\":\"object\",\"properties\":{\"d\":{\"type\":\"string\",\"format\":\"duration\"}}}", "format", "#/properties/d"),
                Arguments.of("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"],\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", "dependentSchemas", "#/dependentSchemas/a"),
                Arguments.of("{\"type\":\"string\",\"pattern\":\"^(?=a)ab$\"}", "pattern", "#"),
                Arguments.of("{\"type\":\"string\",\"pattern\":\"^(a)\\\\1$\"}", "pattern", "#"),
                Arguments.of("{\"type\":\"string\",\"pattern\":\"^[a-z]+$\",\"maxLength\":5}", "pattern", "#"),
                Arguments.of("{\"type\":\"string\",\"format\":\"date\",\"pattern\":\"^2\"}", "pattern", "#"),
                Arguments.of("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"minProperties\":2}", "minProperties", "#"),
                Arguments.of("{\"$defs\":{\"x\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"uniqueItems\":true}},\"type\":\"object\",\"properties\":{\"list\":{\"$ref\":\"#/$defs/x\"}}}", "uniqueItems", "#/$defs/x"),
                Arguments.of("{\"type\":\"object\",\"patternProperties\":{\"^k[0-9]$\":{\"type\":\"boolean\"}},\"maxProperties\":3}", "patternProperties", "#"),
                Arguments.of("{\"type\":\"integer\",\"multipleOf\":997}", "multipleOf", "#"));
    }

    @ParameterizedTest
    @MethodSource("unenforceable")
    void whatNoGrammarCanEnforceIsRefusedWithItsKeywordAndPointerUnlessLenient(String schema, String keyword, String pointer) {
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf(schema, Mode.EXACT))
                .isInstanceOfSatisfying(UnenforceableSchemaException.class, e -> {
                    assertThat(e.keyword()).isEqualTo(keyword);
                    assertThat(e.pointer()).isEqualTo(pointer);
                    assertThat(e.getMessage()).contains(keyword).contains(pointer);
                });
        if (!keyword.equals("multipleOf")) { // too large a grammar either way
            assertThat(JsonSchemaGrammar.gbnf(schema, Mode.LENIENT)).contains("root ::=");
        }
    }

    @Test
    void referencesOutsideTheSchemaAreNeverFollowed() {
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"$ref\":\"https://example.com/s.json\"}", Mode.LENIENT))
                .isInstanceOfSatisfying(UnenforceableSchemaException.class, e -> assertThat(e.keyword()).isEqualTo("$ref"));
        assertThatThrownBy(() -> SchemaValidator.of("{\"properties\":{\"a\":{\"$ref\":\"file:///etc/passwd\"}}}"))
                .isInstanceOfSatisfying(UnenforceableSchemaException.class,
                        e -> assertThat(e.pointer()).isEqualTo("#/properties/a"));
    }

    @Test
    void malformedAndContradictorySchemasGetClearErrors() {
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"type\":\"no-such-type\"}", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{not json", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"type\":\"string\",\"minLength\":-1}", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minLength");
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JSON value satisfies");
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"$ref\":\"#/$defs/missing\"}", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#/$defs/missing");
        assertThatThrownBy(() -> JsonSchemaGrammar.gbnf("{\"allOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", Mode.EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JSON value satisfies");
    }

    @Test
    void theValidatorParsesStrictlyAndAssertsFormats() {
        SchemaValidator v = SchemaValidator.of("{\"type\":\"object\",\"properties\":{\"d\":{\"type\":\"string\",\"format\":\"date\"}}}");
        assertThat(v.violations("{\"d\":\"2024-02-28\"}")).isEmpty();
        assertThat(v.violations("{\"d\":\"2024-02-30\"}")).isNotEmpty();
        assertThat(v.violations("{\"d\":\"2024-01-01\",\"d\":\"2024-01-02\"}")).singleElement().asString().contains("Duplicate");
        assertThat(v.violations("{\"d\":\"2024-01-01\"} trailing")).isNotEmpty();
        assertThat(v.violations("")).isNotEmpty();
        assertThatThrownBy(() -> v.check("[]")).isInstanceOfSatisfying(InvalidAnswerException.class,
                e -> assertThat(e.violations()).isNotEmpty());
    }
}
