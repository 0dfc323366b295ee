package dev.hearth.llama.internal;

/**
 * The deepest bracket nesting (<code>[</code>, <code>&#123;</code>, <code>(</code>) that a JSON or Python-literal
 * parser could reach in a text, wherever in the text it started: llama.cpp's output parsers recurse once per level,
 * and a format's parser starts its JSON after a marker that may sit anywhere, even inside what looks like a string.
 * Brackets inside a string do not count for the parse that is in the string, so the scan follows every possible parse
 * at once: for each lexical state (outside any string, in a double- or single-quoted string, after a backslash in one)
 * it keeps the deepest nesting of any parse in that state, a few integers updated per character. Text is added as it
 * grows; single-threaded.
 */
public final class Nesting {
    private static final int NONE = -1;

    private int outside;
    private int inDouble = NONE;
    private int afterBackslashInDouble = NONE;
    private int inSingle = NONE;
    private int afterBackslashInSingle = NONE;
    private int deepest;

    /** The deepest nesting of {@code text}. */
    public static int of(CharSequence text) {
        return new Nesting().add(text);
    }

    /**
     * The nesting of {@code text} read as JSON from its start, as a JSON parser given exactly this text reaches it
     * (brackets in strings do not count). Text that is not JSON is read as far as it goes.
     */
    public static int json(CharSequence text) {
        int depth = 0, deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return deepest;
    }

    /** Scans more of the text; returns the deepest nesting so far. */
    public int add(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // most characters change no state: outside stays outside, in a string stays in it
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= 'Z') || c == ' ' || c == '\n' || c > '}') {
                if (afterBackslashInDouble == NONE && afterBackslashInSingle == NONE) {
                    continue;
                }
            }
            step(c);
        }
        return deepest;
    }

    public int deepest() {
        return deepest;
    }

    private void step(char c) {
        int out = NONE, dq = NONE, dqEsc = NONE, sq = NONE, sqEsc = NONE;
        if (outside != NONE) {
            switch (c) {
                case '[', '{', '(' -> out = outside + 1;
                case ']', '}', ')' -> out = Math.max(0, outside - 1);
                case '"' -> dq = outside;
                case '\'' -> { // a string to a Python parser, an ordinary character to a JSON one
                    sq = outside;
                    out = outside;
                }
                default -> out = outside;
            }
        }
        if (inDouble != NONE) {
            switch (c) {
                case '\\' -> dqEsc = inDouble;
                case '"' -> out = Math.max(out, inDouble);
                default -> dq = Math.max(dq, inDouble);
            }
        }
        dq = Math.max(dq, afterBackslashInDouble);
        if (inSingle != NONE) {
            switch (c) {
                case '\\' -> sqEsc = inSingle;
                case '\'' -> out = Math.max(out, inSingle);
                default -> sq = Math.max(sq, inSingle);
            }
        }
        sq = Math.max(sq, afterBackslashInSingle);
        outside = Math.max(out, 0); // a parse may also start at the next character
        inDouble = dq;
        afterBackslashInDouble = dqEsc;
        inSingle = sq;
        afterBackslashInSingle = sqEsc;
        deepest = Math.max(deepest, outside);
    }
}
