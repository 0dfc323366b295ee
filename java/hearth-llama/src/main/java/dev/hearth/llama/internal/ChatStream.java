package dev.hearth.llama.internal;

import dev.hearth.api.ChatSink;
import dev.hearth.llama.ChatTemplate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * llama.cpp's parser over a chat answer as it grows: partial parses give content and reasoning deltas, the final
 * parse gives the answer. Single-threaded.
 */
public final class ChatStream {
    private static final Logger LOG = LoggerFactory.getLogger(ChatStream.class);

    private final ChatTemplate template;
    private final ChatTemplate.Rendered rendered;
    private final StringBuilder raw = new StringBuilder();
    private String shownContent = "";
    private String shownReasoning = "";

    public ChatStream(ChatTemplate template, ChatTemplate.Rendered rendered) {
        this.template = template;
        this.rendered = rendered;
    }

    public String raw() {
        return raw.toString();
    }

    /** Adds generated text and sends the sink what the partial parse adds to content and reasoning. */
    public void append(String text, ChatSink sink) {
        if (text.isEmpty()) {
            return;
        }
        raw.append(text);
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
        ChatTemplate.Parsed parsed;
        try {
            parsed = template.parse(rendered, raw.toString(), false);
        } catch (RuntimeException e) {
            LOG.warn("the {} parser rejected the output ({}); returning it as plain content", rendered.format(),
                    e.getMessage());
            try {
                parsed = template.parse(rendered, raw.toString(), true);
            } catch (RuntimeException again) {
                parsed = new ChatTemplate.Parsed(raw.toString(), "", List.of());
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
