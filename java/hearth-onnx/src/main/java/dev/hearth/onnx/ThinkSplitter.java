package dev.hearth.onnx;

import dev.hearth.api.ChatSink;

/**
 * Splits a streamed answer into reasoning (inside {@code <think>...</think>}) and content, for ONNX models, which have
 * no output parser: text that may be the start of a tag is held back until it cannot be. A model whose prompt opened
 * the think block starts inside it; another may open one at the very start of its answer. Not thread-safe.
 */
final class ThinkSplitter {
    private static final String OPEN = "<think>", CLOSE = "</think>";

    /** START: before the answer's first visible character; AFTER_THINK: between {@code </think>} and the answer. */
    private enum State { START, THINKING, AFTER_THINK, ANSWERING }

    private final ChatSink sink;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder(), content = new StringBuilder();
    private State state;

    ThinkSplitter(boolean insideThink, ChatSink sink) {
        this.sink = sink;
        this.state = insideThink ? State.THINKING : State.START;
    }

    void accept(String delta) {
        pending.append(delta);
        drain(false);
    }

    /** Sends what was held back (the answer has ended). */
    void finish() {
        drain(true);
    }

    String reasoning() {
        return reasoning.toString().strip();
    }

    String content() {
        return content.toString();
    }

    private void drain(boolean end) {
        while (!pending.isEmpty()) {
            switch (state) {
                case START -> {
                    String text = pending.toString().stripLeading();
                    if (text.startsWith(OPEN)) {
                        pending.setLength(0);
                        pending.append(text.substring(OPEN.length()));
                        state = State.THINKING;
                    } else if (!end && OPEN.startsWith(text)) {
                        return; // may still become <think>
                    } else {
                        pending.setLength(0);
                        pending.append(text); // the answer starts at its first visible character
                        state = State.ANSWERING;
                    }
                }
                case THINKING -> {
                    int close = pending.indexOf(CLOSE);
                    if (close >= 0) {
                        emitReasoning(pending.substring(0, close));
                        pending.delete(0, close + CLOSE.length());
                        state = State.AFTER_THINK;
                    } else {
                        int keep = end ? 0 : partialTag(pending, CLOSE);
                        emitReasoning(pending.substring(0, pending.length() - keep));
                        pending.delete(0, pending.length() - keep);
                        return;
                    }
                }
                case AFTER_THINK -> { // the answer starts at its first visible character, whichever delta brings it
                    while (!pending.isEmpty() && Character.isWhitespace(pending.charAt(0))) {
                        pending.deleteCharAt(0);
                    }
                    if (!pending.isEmpty()) {
                        state = State.ANSWERING;
                    }
                }
                case ANSWERING -> {
                    content.append(pending);
                    sink.onContent(pending.toString());
                    pending.setLength(0);
                }
            }
        }
    }

    private void emitReasoning(String text) {
        if (!text.isEmpty()) {
            reasoning.append(text);
            sink.onReasoning(text);
        }
    }

    /** How many trailing characters of {@code text} could be the start of {@code tag}. */
    private static int partialTag(CharSequence text, String tag) {
        for (int n = Math.min(tag.length() - 1, text.length()); n > 0; n--) {
            if (tag.startsWith(text.subSequence(text.length() - n, text.length()).toString())) {
                return n;
            }
        }
        return 0;
    }
}
