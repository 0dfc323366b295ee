package dev.hearth.llama.internal;

import dev.hearth.api.ChatSink;
import dev.hearth.llama.ChatTemplate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * llama.cpp's parser over a chat answer as it grows: partial parses give content and reasoning deltas, the final
 * parse gives the answer. The parser recurses once per bracket level, so the output's nesting is measured as it
 * grows ({@link Nesting}); once it passes {@link Budgets#MAX_OUTPUT_NESTING} nothing more is parsed,
 * {@link #tooNested()} tells the generation to end (FinishReason.NESTING_LIMIT), and the answer is the parse of the
 * text before: what the stream had shown, as when max tokens cut an answer. The raw text keeps everything.
 * Single-threaded.
 */
public final class ChatStream {
    private static final Logger LOG = LoggerFactory.getLogger(ChatStream.class);

    private final ChatTemplate template;
    private final ChatTemplate.Rendered rendered;
    private final StringBuilder raw = new StringBuilder();
    private final Nesting nesting = new Nesting();
    private int parseable; // the length of the raw text within the nesting budget
    private boolean tooNested;
    private String shownContent = "";
    private String shownReasoning = "";

    public ChatStream(ChatTemplate template, ChatTemplate.Rendered rendered) {
        this.template = template;
        this.rendered = rendered;
    }

    public String raw() {
        return raw.toString();
    }

    /** Whether the output nested past the budget: the generation should end, with FinishReason.NESTING_LIMIT. */
    public boolean tooNested() {
        return tooNested;
    }

    /** Adds generated text and sends the sink what the partial parse adds to content and reasoning. */
    public void append(String text, ChatSink sink) {
        if (text.isEmpty()) {
            return;
        }
        raw.append(text);
        if (tooNested) {
            return;
        }
        if (nesting.add(text) > Budgets.MAX_OUTPUT_NESTING) {
            tooNested = true;
            LOG.warn("the model's output nests brackets more than {} deep; ending the answer where it was before"
                    + " ({} of {} characters)", Budgets.MAX_OUTPUT_NESTING, parseable, raw.length());
            return;
        }
        parseable = raw.length();
        ChatTemplate.Parsed partial;
        try {
            partial = template.parse(rendered, raw.toString(), true);
        } catch (RuntimeException e) {
            LOG.debug("partial parse failed (waiting for more text): {}", e.getMessage());
            return;
        }
        emit(sink, partial); // outside the try: what the sink throws is the caller's to see, not a parse failure
    }

    /** The final parse (falling back to a partial one, then to plain text), with its last deltas sent. */
    public ChatTemplate.Parsed finish(ChatSink sink) {
        String text = raw.substring(0, parseable);
        ChatTemplate.Parsed parsed;
        try {
            parsed = template.parse(rendered, text, false);
        } catch (RuntimeException e) {
            LOG.warn("the {} parser rejected the output ({}); returning it as plain content", rendered.format(),
                    e.getMessage());
            try {
                parsed = template.parse(rendered, text, true);
            } catch (RuntimeException again) {
                parsed = new ChatTemplate.Parsed(text, "", List.of());
            }
        }
        emit(sink, parsed);
        return parsed;
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
}
