package dev.hearth.llama;

import dev.hearth.llama.ffi.HearthNativeC;
import dev.hearth.llama.internal.NativeStack;
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

    /** llama.cpp parses and walks grammars recursively, on the caller's stack: bounds that keep it far from overflow. */
    static final int MAX_RULES = 2000;
    static final int MAX_NESTING = 64;

    public Grammar {
        Objects.requireNonNull(gbnf, "gbnf");
        checkShape(gbnf);
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
        JsonChecks.checkSchema(schemaJson, ChatTemplate.parseJson(schemaJson), "the JSON schema");
        try {
            String gbnf = NativeStack.call(() -> HearthNativeC.call((arena, out, error) -> (int) HearthNativeC
                    .hearth_json_schema_to_grammar.invokeExact(arena.allocateFrom(schemaJson), out, error)));
            return gbnf(gbnf);
        } catch (HearthNativeC.ShimException e) {
            throw new IllegalArgumentException("llama.cpp cannot turn this JSON schema into a grammar: "
                    + e.getMessage().strip() + ". Simplify the schema (or pass a GBNF grammar).", e);
        }
    }

    // Counts rules and the nesting of groups outside string literals, character classes and comments.
    private static void checkShape(String gbnf) {
        int rules = 0, depth = 0, deepest = 0;
        boolean inString = false, inClass = false, inComment = false;
        for (int i = 0; i < gbnf.length(); i++) {
            char c = gbnf.charAt(i);
            if (inComment) {
                inComment = c != '\n';
            } else if (inString || inClass) {
                if (c == '\\') {
                    i++;
                } else if ((inString && c == '"') || (inClass && c == ']')) {
                    inString = inClass = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[') {
                inClass = true;
            } else if (c == '#') {
                inComment = true;
            } else if (c == '(') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')') {
                depth--;
            } else if (c == ':' && gbnf.startsWith("::=", i)) {
                rules++;
            }
        }
        if (rules > MAX_RULES || deepest > MAX_NESTING) {
            throw new IllegalArgumentException("the grammar has " + rules + " rules and groups nested " + deepest
                    + " deep; Hearth accepts up to " + MAX_RULES + " rules nested up to " + MAX_NESTING
                    + " deep (llama.cpp's grammar code recurses on the stack)");
        }
    }

    public boolean isNone() {
        return gbnf.isEmpty();
    }
}
