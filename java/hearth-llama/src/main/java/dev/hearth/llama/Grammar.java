package dev.hearth.llama;

import dev.hearth.schema.InvalidAnswerException;
import dev.hearth.schema.JsonSchemaGrammar;
import dev.hearth.schema.SchemaValidator;
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
 * @param schema           the JSON schema every finished answer is checked against (null: none)
 */
public record Grammar(String gbnf, boolean lazy, List<String> triggerPatterns, List<Integer> triggerTokens,
        SchemaValidator schema) {
    /** No grammar. */
    public static final Grammar NONE = new Grammar("", false, List.of(), List.of());

    /** llama.cpp parses and walks grammars recursively, on the caller's stack: bounds that keep it far from overflow. */
    static final int MAX_RULES = 2000;
    static final int MAX_NESTING = 64;

    public Grammar(String gbnf, boolean lazy, List<String> triggerPatterns, List<Integer> triggerTokens) {
        this(gbnf, lazy, triggerPatterns, triggerTokens, null);
    }

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

    /** The grammar of a JSON schema in exact mode (see {@link #jsonSchema(String, boolean)}). */
    public static Grammar jsonSchema(String schemaJson) {
        return jsonSchema(schemaJson, false);
    }

    /**
     * The grammar of a JSON schema (Hearth's own converter, {@link JsonSchemaGrammar}: exact where llama.cpp's is
     * loose). Every finished answer is then checked against the schema by an independent validator, and one that
     * fails is an {@link InvalidAnswerException}, never a result.
     *
     * @param lenient  false: a keyword no grammar can enforce is refused up front (UnenforceableSchemaException,
     *                 naming it and its JSON pointer); true: sampled without it, and the validator decides
     * @throws IllegalArgumentException a schema that is malformed, unenforceable (exact mode) or unsatisfiable
     */
    public static Grammar jsonSchema(String schemaJson, boolean lenient) {
        Objects.requireNonNull(schemaJson, "schemaJson");
        JsonChecks.checkSchema(schemaJson, ChatTemplate.parseJson(schemaJson), "the JSON schema");
        String gbnf = JsonSchemaGrammar.gbnf(schemaJson, lenient ? JsonSchemaGrammar.Mode.LENIENT : JsonSchemaGrammar.Mode.EXACT);
        return new Grammar(gbnf, false, List.of(), List.of(), SchemaValidator.of(schemaJson));
    }

    /**
     * Checks a finished generation against the schema, when there is one: a complete answer must validate, and one
     * cut off by the token or context limit is reported as such. Cancelled generations are not judged.
     */
    GenerationResult checked(GenerationResult r) {
        check(r.text(), r.finishReason(), r.generatedTokens());
        return r;
    }

    /** As {@link #checked}, for any generation's text, end and length: throws InvalidAnswerException. */
    public void check(String text, FinishReason reason, int generatedTokens) {
        if (schema == null || reason == FinishReason.CANCELLED || reason == FinishReason.DEADLINE) {
            return;
        }
        List<String> problems = schema.violations(text);
        if (problems.isEmpty()) {
            return;
        }
        if (reason == FinishReason.MAX_TOKENS || reason == FinishReason.CONTEXT_FULL) {
            throw new InvalidAnswerException(List.of("the answer was cut off after " + generatedTokens + " tokens ("
                    + reason.name().toLowerCase().replace('_', ' ') + ") before its JSON was complete;"
                    + " allow more tokens or a larger context"));
        }
        throw new InvalidAnswerException(problems);
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
