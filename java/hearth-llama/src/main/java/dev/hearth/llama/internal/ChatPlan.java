package dev.hearth.llama.internal;

import dev.hearth.api.ToolChoice;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatTemplate;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.Grammar;
import dev.hearth.llama.LlamaModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to generate for a rendered chat: the prompt tokens, the generation parameters with the format's grammar
 * and stops, the grammar prefill (the generation prompt's tokens, fed to template grammars as llama.cpp's sampler
 * does) and the control tokens whose text the parser needs to see. Immutable.
 */
public record ChatPlan(int[] prompt, GenerationParams params, int[] grammarPrefill, Set<Integer> shownSpecial) {
    public static ChatPlan of(LlamaModel model, ChatTemplate.Rendered rendered, ChatOptions options) {
        GenerationParams params = options.generation();
        List<String> stops = new ArrayList<>(params.stopSequences());
        stops.addAll(rendered.additionalStops());
        params = params.withStopSequences(stops).withAddSpecial(true);
        int[] prefill = new int[0];
        if (!rendered.grammar().isNone()) {
            Grammar grammar = options.toolChoice() instanceof ToolChoice.Required && !options.tools().isEmpty()
                    ? callFirst(rendered.grammar(), rendered.generationPrompt()) : rendered.grammar();
            params = params.withGrammar(grammar);
            if (!rendered.grammar().lazy()) {
                prefill = prefillTokens(model, rendered.generationPrompt());
            }
        } else if (!options.jsonSchema().isEmpty()) {
            params = params.withGrammar(Grammar.jsonSchema(options.jsonSchema(), options.lenientSchema()));
        }
        int[] prompt = model.tokenize(rendered.prompt(), true, true);
        return new ChatPlan(prompt, params, prefill, specialTokens(model, rendered));
    }

    private static final java.util.regex.Pattern CONTENT_BEFORE_CALL =
            java.util.regex.Pattern.compile("\\s+until-\\d+\\??(?=\\s+(space\\s+)?tool-calls?\\b)");

    private static final java.util.regex.Pattern ROOT_LITERAL =
            java.util.regex.Pattern.compile("^root ::= \"((?:\\\\.|[^\"\\\\])*)\"");

    /**
     * With a required tool call, upstream grammars still allow free text before the call (models often say what
     * they are about to do). Hearth reads REQUIRED as OpenAI does: the answer is the call. This replaces the
     * optional text rule in front of the call with exactly the text the template already wrote after the root's
     * opening (an empty thinking block when thinking is off), so the answer starts with the call. Grammars of
     * other shapes are left as they are.
     */
    public static Grammar callFirst(Grammar grammar, String generationPrompt) {
        StringBuilder out = new StringBuilder();
        for (String line : grammar.gbnf().split("\n", -1)) {
            if (line.startsWith("root ::=")) {
                String written = "";
                java.util.regex.Matcher literal = ROOT_LITERAL.matcher(line);
                if (literal.find()) {
                    String opening = unescape(literal.group(1));
                    if (generationPrompt.startsWith(opening)) {
                        written = generationPrompt.substring(opening.length());
                    }
                }
                String replacement = written.isEmpty() ? "" : " " + quote(written);
                line = CONTENT_BEFORE_CALL.matcher(line).replaceAll(java.util.regex.Matcher.quoteReplacement(replacement));
            }
            out.append(line).append('\n');
        }
        return new Grammar(out.substring(0, out.length() - 1), grammar.lazy(), grammar.triggerPatterns(),
                grammar.triggerTokens());
    }

    private static String unescape(String gbnf) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < gbnf.length(); i++) {
            char c = gbnf.charAt(i);
            if (c == '\\' && i + 1 < gbnf.length()) {
                char n = gbnf.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }

    // The generation prompt's tokens, as llama.cpp's sampler feeds them to a template grammar.
    private static int[] prefillTokens(LlamaModel model, String generationPrompt) {
        if (generationPrompt.isEmpty()) {
            return new int[0];
        }
        int[] tokens = model.tokenize(generationPrompt, false, true);
        if (tokens.length > 0 && !Character.isWhitespace(generationPrompt.charAt(0))) {
            String first = model.detokenize(new int[] {tokens[0]}, false, true);
            if (!first.isEmpty() && Character.isWhitespace(first.charAt(0))) {
                return java.util.Arrays.copyOfRange(tokens, 1, tokens.length);
            }
        }
        return tokens;
    }

    // Control tokens the format's parser needs to see in the output (e.g. <tool_call>).
    private static Set<Integer> specialTokens(LlamaModel model, ChatTemplate.Rendered rendered) {
        Set<Integer> ids = new HashSet<>();
        for (String text : rendered.preservedTokens()) {
            int[] t = model.tokenize(text, false, true);
            if (t.length == 1) {
                ids.add(t[0]);
            }
        }
        return ids;
    }
}
