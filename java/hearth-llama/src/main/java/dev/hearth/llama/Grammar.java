package dev.hearth.llama;

import dev.hearth.llama.ffi.HearthNativeC;
import java.util.List;
import java.util.Objects;

/**
 * A GBNF grammar the sampler enforces on every token ({@code lazy = false}), or only from the moment the output
 * matches one of the triggers ({@code lazy = true}; how tool-call grammars work: free text until a call starts).
 *
 * @param gbnf             the grammar, with a {@code root} rule; empty for none
 * @param lazy             apply only after a trigger
 * @param triggerPatterns  regular expressions that start a lazy grammar
 * @param triggerTokens    tokens that start a lazy grammar
 */
public record Grammar(String gbnf, boolean lazy, List<String> triggerPatterns, List<Integer> triggerTokens) {
    /** No grammar. */
    public static final Grammar NONE = new Grammar("", false, List.of(), List.of());

    public Grammar {
        Objects.requireNonNull(gbnf, "gbnf");
        triggerPatterns = List.copyOf(triggerPatterns);
        triggerTokens = List.copyOf(triggerTokens);
        if (lazy && triggerPatterns.isEmpty() && triggerTokens.isEmpty()) {
            throw new IllegalArgumentException("a lazy grammar needs at least one trigger");
        }
    }

    /** A grammar applied to every token. Its syntax is checked when a generation starts. */
    public static Grammar gbnf(String gbnf) {
        return new Grammar(gbnf, false, List.of(), List.of());
    }

    /**
     * The grammar of a JSON schema, converted by llama.cpp's {@code json_schema_to_grammar}. A schema it cannot
     * convert throws IllegalArgumentException naming the problem; it never falls back to a looser grammar.
     */
    public static Grammar jsonSchema(String schemaJson) {
        Objects.requireNonNull(schemaJson, "schemaJson");
        TemplateChecks.checkDepth(ChatTemplate.parseJson(schemaJson), "the JSON schema");
        try {
            String gbnf = HearthNativeC.call((arena, out, error) -> (int) HearthNativeC.hearth_json_schema_to_grammar
                    .invokeExact(arena.allocateFrom(schemaJson), out, error));
            return gbnf(gbnf);
        } catch (HearthNativeC.ShimException e) {
            throw new IllegalArgumentException("llama.cpp cannot turn this JSON schema into a grammar: "
                    + e.getMessage().strip() + ". Simplify the schema (or pass a GBNF grammar).", e);
        }
    }

    public boolean isNone() {
        return gbnf.isEmpty();
    }
}
