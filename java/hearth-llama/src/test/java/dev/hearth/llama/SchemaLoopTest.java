package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A schema that reaches itself before it describes anything is refused with the loop spelled out, instead of
 * llama.cpp's "left recursion detected for nonterminal at index 0" and a hint to check GBNF syntax (issue 15).
 */
class SchemaLoopTest {
    @Test
    void aRefLoopIsRefusedWithTheLoop() {
        String cycle = "{\"$ref\": \"#/$defs/a\", \"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\":"
                + " \"#/$defs/a\"}}}";
        assertThatThrownBy(() -> Grammar.jsonSchema(cycle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refers to itself before it describes anything")
                .hasMessageContaining("#/$defs/a -> #/$defs/b -> #/$defs/a").hasMessageNotContaining("GBNF");
        String throughAnyOf = "{\"anyOf\": [{\"$ref\": \"#\"}, {\"type\": \"string\"}]}";
        assertThatThrownBy(() -> Grammar.jsonSchema(throughAnyOf)).hasMessageContaining("# -> #/anyOf/0 -> #");
    }

    @Test
    void recursionBehindABracketIsFine() {
        String tree = "{\"$ref\": \"#/$defs/node\", \"$defs\": {\"node\": {\"type\": \"object\", \"properties\":"
                + " {\"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/node\"}}}}}}";
        assertThat(Grammar.jsonSchema(tree).gbnf()).contains("root");
    }
}
