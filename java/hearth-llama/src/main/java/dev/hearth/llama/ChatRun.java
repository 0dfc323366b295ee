package dev.hearth.llama;

import dev.hearth.api.ChatSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat answer: generation constrained by the format's grammar, then llama.cpp's parser over the raw text
 * (as it grows, for streaming deltas, and once at the end). Runs on the context's owning thread.
 */
final class ChatRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRun.class);

    private final ChatTemplate template;
    private final ChatTemplate.Rendered rendered;
    private final Generation generation;
    private final StringBuilder raw = new StringBuilder();
    private String shownContent = "";
    private String shownReasoning = "";

    ChatRun(LlamaContext context, ChatTemplate template, ChatTemplate.Rendered rendered, ChatOptions options) {
        this.template = template;
        this.rendered = rendered;
        LlamaModel model = context.model();
        GenerationParams params = options.generation();
        List<String> stops = new ArrayList<>(params.stopSequences());
        stops.addAll(rendered.additionalStops());
        params = params.withStopSequences(stops).withAddSpecial(true);
        int[] prefill = new int[0];
        if (!rendered.grammar().isNone()) {
            Grammar grammar = options.toolChoice() == ToolChoice.REQUIRED && !options.tools().isEmpty()
                    ? callFirst(rendered.grammar(), rendered.generationPrompt()) : rendered.grammar();
            params = params.withGrammar(grammar);
            if (!rendered.grammar().lazy()) {
                prefill = prefillTokens(model, rendered.generationPrompt());
            }
        } else if (!options.jsonSchema().isEmpty()) {
            params = params.withGrammar(Grammar.jsonSchema(options.jsonSchema()));
        }
        int[] prompt = model.tokenize(rendered.prompt(), true, true);
        this.generation = new Generation(context, prompt, params, prefill, specialTokens(model, rendered));
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
    static Grammar callFirst(Grammar grammar, String generationPrompt) {
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

    ChatResult run(ChatSink sink) {
        String text;
        while ((text = generation.next()) != null) {
            if (!text.isEmpty()) {
                raw.append(text);
                stream(sink);
            }
        }
        GenerationResult result = generation.result();
        ChatTemplate.Parsed parsed = finalParse();
        emit(sink, parsed);
        return new ChatResult(parsed.content(), parsed.reasoning(), parsed.toolCalls(), rendered.format(),
                raw.toString(), result);
    }

    private void stream(ChatSink sink) {
        try {
            emit(sink, template.parse(rendered, raw.toString(), true));
        } catch (RuntimeException e) {
            LOG.debug("partial parse failed (waiting for more text): {}", e.getMessage());
        }
    }

    private void emit(ChatSink sink, ChatTemplate.Parsed parsed) {
        if (parsed.reasoning().length() > shownReasoning.length() && parsed.reasoning().startsWith(shownReasoning)) {
            sink.onReasoning(parsed.reasoning().substring(shownReasoning.length()));
            shownReasoning = parsed.reasoning();
        }
        if (parsed.content().length() > shownContent.length() && parsed.content().startsWith(shownContent)) {
            sink.onContent(parsed.content().substring(shownContent.length()));
            shownContent = parsed.content();
        }
    }

    private ChatTemplate.Parsed finalParse() {
        try {
            return template.parse(rendered, raw.toString(), false);
        } catch (RuntimeException e) {
            LOG.warn("the {} parser rejected the output ({}); returning it as plain content", rendered.format(),
                    e.getMessage());
            try {
                return template.parse(rendered, raw.toString(), true);
            } catch (RuntimeException again) {
                return new ChatTemplate.Parsed(raw.toString(), "", List.of());
            }
        }
    }

    @Override
    public void close() {
        generation.close();
    }
}
