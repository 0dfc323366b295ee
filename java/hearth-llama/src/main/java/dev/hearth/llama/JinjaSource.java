package dev.hearth.llama;

import java.util.ArrayList;
import java.util.List;

/**
 * A Jinja template cut into its tags and their tokens the way llama.cpp's lexer (common/jinja/lexer.cpp) cuts it,
 * as far as Hearth's checks need: text runs until {@code {{}, {@code {%} or {@code {#}; a tag ends at the first
 * {@code }}} or {@code %}} outside a string (a {@code }}} inside a dict literal does not end an expression); a
 * comment ends at {@code #}}. Text and comments are skipped. A tag left open runs to the end of the source.
 */
final class JinjaSource {
    enum Kind { NAME, STRING, NUMBER, SYMBOL }

    /** A token of a tag; {@code start} and {@code end} are offsets in the template source. */
    record Token(Kind kind, String text, int start, int end) {
        boolean is(String s) {
            return text.equals(s) && kind != Kind.STRING;
        }
    }

    /** A {@code {% statement %}} or {@code {{ expression }}}, its tokens without the delimiters. */
    record Tag(boolean statement, int start, List<Token> tokens) {
        /** The statement's keyword ({@code if}, {@code endfor}, ...), or empty. */
        String keyword() {
            return statement && !tokens.isEmpty() && tokens.getFirst().kind() == Kind.NAME ? tokens.getFirst().text() : "";
        }
    }

    private static final String[] SYMBOLS = {"==", "!=", "<=", ">=", "//", "**"};

    private final String source;
    private int pos;

    private JinjaSource(String source) {
        this.source = source;
    }

    static List<Tag> tags(String source) {
        return new JinjaSource(source).read();
    }

    /** The 1-based line of an offset, for messages. */
    static int line(String source, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private List<Tag> read() {
        List<Tag> tags = new ArrayList<>();
        while (pos < source.length()) {
            int open = nextOpening();
            if (open < 0) {
                break;
            }
            char kind = source.charAt(open + 1);
            pos = open + 2;
            if (kind == '#') {
                int close = source.indexOf("#}", pos);
                pos = close < 0 ? source.length() : close + 2;
            } else {
                tags.add(new Tag(kind == '%', open, tokens(kind == '%' ? '%' : '}')));
            }
        }
        return tags;
    }

    private int nextOpening() {
        for (int i = source.indexOf('{', pos); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char next = source.charAt(i + 1);
            if (next == '%' || next == '{' || next == '#') {
                return i;
            }
        }
        return -1;
    }

    // Tokens up to the tag's closing ("%}" or "}}", optionally after "-"), which is consumed.
    private List<Token> tokens(char closing) {
        List<Token> out = new ArrayList<>();
        int curly = 0;
        if (pos < source.length() && (source.charAt(pos) == '-' || source.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            int end = closingAt(pos, closing, curly);
            if (end >= 0) {
                pos = end;
                return out;
            }
            int start = pos;
            if (c == '\'' || c == '"') {
                pos++;
                while (pos < source.length() && source.charAt(pos) != c) {
                    pos += source.charAt(pos) == '\\' ? 2 : 1;
                }
                pos = Math.min(pos + 1, source.length());
                out.add(new Token(Kind.STRING, source.substring(start, pos), start, pos));
            } else if (Character.isDigit(c)) {
                while (pos < source.length() && (Character.isDigit(source.charAt(pos)) || source.charAt(pos) == '.'
                        && pos + 1 < source.length() && Character.isDigit(source.charAt(pos + 1)))) {
                    pos++;
                }
                out.add(new Token(Kind.NUMBER, source.substring(start, pos), start, pos));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(new Token(Kind.NAME, source.substring(start, pos), start, pos));
            } else {
                pos += symbolLength();
                String symbol = source.substring(start, pos);
                curly += symbol.equals("{") ? 1 : symbol.equals("}") ? -1 : 0;
                out.add(new Token(Kind.SYMBOL, symbol, start, pos));
            }
        }
        return out;
    }

    // Where the tag's closing at i ends, or -1 if there is none at i.
    private int closingAt(int i, char closing, int curly) {
        int at = source.startsWith("-", i) ? i + 1 : i;
        if (closing == '%' && source.startsWith("%}", at)) {
            return at + 2;
        }
        if (closing == '}' && curly <= 0 && source.startsWith("}}", at)) {
            return at + 2;
        }
        return -1;
    }

    private int symbolLength() {
        for (String s : SYMBOLS) {
            if (source.startsWith(s, pos)) {
                return s.length();
            }
        }
        return 1;
    }
}
