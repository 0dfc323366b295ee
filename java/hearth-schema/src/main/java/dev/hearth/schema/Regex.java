package dev.hearth.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * An ECMA-262 regular expression (the dialect of JSON Schema's {@code pattern}) as a GBNF expression over the
 * characters of a JSON string, escapes included. The grammar matches the whole string: a pattern without anchors
 * ("contains a match") is produced as if anchored, which is one of the strings it allows. Characters that JSON must
 * escape come out escaped; a negated class also leaves out quotes, backslashes and control characters. What a
 * grammar cannot express (backreferences, lookaround, word boundaries, Unicode properties) is refused.
 */
final class Regex {
    /** A parsed piece: its expression, and the fewest and most characters it matches (max: Integer.MAX_VALUE = unbounded). */
    record Piece(String gbnf, int min, int max) {
    }

    private final String source;
    private final String pointer;
    private int at;

    private Regex(String source, String pointer) {
        this.source = source;
        this.pointer = pointer;
    }

    static Piece toGbnf(String pattern, String pointer) {
        Regex r = new Regex(pattern, pointer);
        Piece p = r.alternation();
        if (r.at < pattern.length()) {
            throw r.refuse("an unmatched ')' at offset " + r.at);
        }
        return p;
    }

    private Piece alternation() {
        List<Piece> options = new ArrayList<>();
        options.add(sequence());
        while (at < source.length() && source.charAt(at) == '|') {
            at++;
            options.add(sequence());
        }
        if (options.size() == 1) {
            return options.getFirst();
        }
        int min = options.stream().mapToInt(Piece::min).min().orElse(0);
        int max = options.stream().mapToInt(Piece::max).max().orElse(0);
        return new Piece("(" + String.join(" | ", options.stream().map(p -> p.gbnf().isEmpty() ? "\"\"" : p.gbnf())
                .toList()) + ")", min, max);
    }

    private Piece sequence() {
        List<String> parts = new ArrayList<>();
        int min = 0;
        long max = 0;
        int start = at;
        while (at < source.length() && source.charAt(at) != '|' && source.charAt(at) != ')') {
            char c = source.charAt(at);
            if (c == '^') {
                if (at != start) {
                    throw refuse("'^' inside the pattern (only at the start of an alternative)");
                }
                at++;
                continue;
            }
            if (c == '$') {
                at++;
                if (at < source.length() && source.charAt(at) != '|' && source.charAt(at) != ')') {
                    throw refuse("'$' inside the pattern (only at the end of an alternative)");
                }
                continue;
            }
            Piece p = quantified(atom());
            if (!p.gbnf().isEmpty()) {
                parts.add(p.gbnf());
            }
            min = saturate((long) min + p.min());
            max = p.max() == Integer.MAX_VALUE || max == Integer.MAX_VALUE ? Integer.MAX_VALUE : saturate(max + p.max());
        }
        return new Piece(String.join(" ", parts), min, (int) max);
    }

    private Piece quantified(Piece atom) {
        if (at >= source.length()) {
            return atom;
        }
        char c = source.charAt(at);
        int lo, hi;
        String suffix;
        if (c == '*' || c == '+' || c == '?') {
            at++;
            lo = c == '+' ? 1 : 0;
            hi = c == '?' ? 1 : Integer.MAX_VALUE;
            suffix = String.valueOf(c);
        } else if (c == '{' && source.indexOf('}', at) > 0 && source.substring(at + 1, source.indexOf('}', at)).matches("\\d+(,\\d*)?")) {
            String inside = source.substring(at + 1, source.indexOf('}', at));
            at = source.indexOf('}', at) + 1;
            String[] bounds = inside.split(",", -1);
            lo = Integer.parseInt(bounds[0]);
            hi = bounds.length == 1 ? lo : bounds[1].isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(bounds[1]);
            if (hi < lo || lo > 1000 || (hi != Integer.MAX_VALUE && hi > 1000)) {
                throw refuse("the repetition {" + inside + "} (Hearth takes counts up to 1000, the lower first)");
            }
            suffix = "{" + inside + "}";
        } else {
            return atom;
        }
        if (at < source.length() && source.charAt(at) == '?') {
            at++; // lazy: the same strings
        }
        if (atom.gbnf().isEmpty()) {
            return atom;
        }
        String base = atom.gbnf().matches("\"[^\"]*\"|\\[[^\\]]*\\]|[a-z-]+") && !atom.gbnf().contains(" ")
                ? atom.gbnf() : "(" + atom.gbnf() + ")";
        long min = (long) atom.min() * lo;
        int max = hi == Integer.MAX_VALUE || atom.max() == Integer.MAX_VALUE ? Integer.MAX_VALUE
                : saturate((long) atom.max() * hi);
        return new Piece(base + suffix, saturate(min), max);
    }

    private Piece atom() {
        char c = source.charAt(at++);
        switch (c) {
            case '(' -> {
                if (source.startsWith("?:", at)) {
                    at += 2;
                } else if (source.startsWith("?<", at) && !source.startsWith("?<=", at) && !source.startsWith("?<!", at)) {
                    at = source.indexOf('>', at) + 1; // a named group: a group
                    if (at == 0) {
                        throw refuse("an unterminated group name");
                    }
                } else if (source.startsWith("?", at)) {
                    throw refuse("lookaround or inline flags ('(?" + (at + 1 < source.length() ? source.charAt(at + 1) : "")
                            + "')");
                }
                Piece inner = alternation();
                if (at >= source.length() || source.charAt(at) != ')') {
                    throw refuse("an unclosed '('");
                }
                at++;
                return inner.gbnf().isEmpty() ? inner : new Piece("(" + inner.gbnf() + ")", inner.min(), inner.max());
            }
            case '[' -> {
                return new Piece(characterClass(), 1, 1);
            }
            case '.' -> {
                return new Piece("[^\"\\\\\\x00-\\x1F\\x7F\\u2028\\u2029]", 1, 1);
            }
            case '\\' -> {
                return escapeAtom();
            }
            case '*', '+', '?', '{' -> {
                if (c == '{') {
                    return new Piece(jsonChar('{'), 1, 1);
                }
                throw refuse("a quantifier '" + c + "' with nothing before it");
            }
            default -> {
                int cp = source.codePointAt(at - 1);
                at += Character.charCount(cp) - 1;
                return new Piece(jsonChar(cp), 1, 1);
            }
        }
    }

    private Piece escapeAtom() {
        if (at >= source.length()) {
            throw refuse("a '\\' at the end");
        }
        char e = source.charAt(at++);
        return switch (e) {
            case 'd' -> new Piece("[0-9]", 1, 1);
            case 'D' -> new Piece("[^0-9\"\\\\\\x00-\\x1F]", 1, 1);
            case 'w' -> new Piece("[a-zA-Z0-9_]", 1, 1);
            case 'W' -> new Piece("[^a-zA-Z0-9_\"\\\\\\x00-\\x1F]", 1, 1);
            case 's' -> new Piece("(\" \" | \"\\\\t\" | \"\\\\n\" | \"\\\\r\" | \"\\\\f\")", 1, 1);
            case 'S' -> new Piece("[^ \"\\\\\\x00-\\x1F]", 1, 1);
            case 'b', 'B' -> throw refuse("a word boundary ('\\" + e + "')");
            case 'p', 'P' -> throw refuse("a Unicode property ('\\" + e + "')");
            default -> {
                if (e >= '1' && e <= '9') {
                    throw refuse("a backreference ('\\" + e + "')");
                }
                yield new Piece(jsonChar(escapedChar(e)), 1, 1);
            }
        };
    }

    // after '\': the character it stands for (not a class)
    private int escapedChar(char e) {
        return switch (e) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case '0' -> 0;
            case 'x' -> hex(2);
            case 'u' -> hex(4);
            default -> e;
        };
    }

    private int hex(int digits) {
        if (at + digits > source.length() || !source.substring(at, at + digits).matches("[0-9a-fA-F]+")) {
            throw refuse("a malformed hexadecimal escape");
        }
        int v = Integer.parseInt(source.substring(at, at + digits), 16);
        at += digits;
        return v;
    }

    // after '[': the class, as GBNF (specials that JSON escapes become escaped alternatives)
    private String characterClass() {
        boolean negated = at < source.length() && source.charAt(at) == '^';
        if (negated) {
            at++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (at >= source.length()) {
                throw refuse("an unclosed '['");
            }
            char c = source.charAt(at);
            if (c == ']' && !first) {
                at++;
                break;
            }
            first = false;
            int lo = classChar(ranges);
            if (lo < 0) {
                continue; // a class escape such as \d added its ranges
            }
            if (at + 1 < source.length() && source.charAt(at) == '-' && source.charAt(at + 1) != ']') {
                at++;
                int hi = classChar(ranges);
                if (hi < 0 || hi < lo) {
                    throw refuse("a character range that is out of order or ends in a class escape");
                }
                ranges.add(new int[] {lo, hi});
            } else {
                ranges.add(new int[] {lo, lo});
            }
        }
        StringBuilder plain = new StringBuilder();
        List<String> escaped = new ArrayList<>();
        for (int[] r : ranges) {
            for (int[] piece : withoutSpecials(r)) {
                plain.append(Gbnf.escape(piece[0], true));
                if (piece[1] > piece[0]) {
                    plain.append('-').append(Gbnf.escape(piece[1], true));
                }
            }
            if (!negated) {
                for (int s : new int[] {'"', '\\', '\t', '\n', '\r', '\f', 0x08}) {
                    if (s >= r[0] && s <= r[1]) {
                        escaped.add(jsonChar(s));
                    }
                }
            }
        }
        if (negated) {
            return "[^" + plain + "\"\\\\\\x00-\\x1F]";
        }
        List<String> options = new ArrayList<>();
        if (!plain.isEmpty()) {
            options.add("[" + plain + "]");
        }
        options.addAll(escaped.stream().distinct().toList());
        if (options.isEmpty()) {
            throw refuse("a character class that allows only control characters");
        }
        return options.size() == 1 ? options.getFirst() : "(" + String.join(" | ", options) + ")";
    }

    // one character of a class, or -1 after adding a class escape's ranges
    private int classChar(List<int[]> ranges) {
        char c = source.charAt(at++);
        if (c != '\\') {
            int cp = source.codePointAt(at - 1);
            at += Character.charCount(cp) - 1;
            return cp;
        }
        if (at >= source.length()) {
            throw refuse("a '\\' at the end");
        }
        char e = source.charAt(at++);
        switch (e) {
            case 'd' -> ranges.add(new int[] {'0', '9'});
            case 'w' -> {
                ranges.add(new int[] {'a', 'z'});
                ranges.add(new int[] {'A', 'Z'});
                ranges.add(new int[] {'0', '9'});
                ranges.add(new int[] {'_', '_'});
            }
            case 's' -> {
                ranges.add(new int[] {' ', ' '});
                ranges.add(new int[] {'\t', '\r'});
            }
            case 'D', 'W', 'S', 'p', 'P' -> throw refuse("the class escape '\\" + e + "' inside [...]");
            case 'b' -> {
                return 0x08;
            }
            default -> {
                return escapedChar(e);
            }
        }
        return -1;
    }

    // a range less the characters JSON must escape (quote, backslash, controls)
    private static List<int[]> withoutSpecials(int[] r) {
        List<int[]> out = new ArrayList<>();
        int lo = Math.max(r[0], 0x20);
        for (int cut : new int[] {'"', '\\'}) {
            if (cut >= lo && cut <= r[1]) {
                if (cut > lo) {
                    out.add(new int[] {lo, cut - 1});
                }
                lo = cut + 1;
            }
        }
        if (lo <= r[1]) {
            out.add(new int[] {lo, r[1]});
        }
        return out;
    }

    /** A GBNF literal for one character as it appears inside a JSON string (escaped where JSON requires it). */
    static String jsonChar(int cp) {
        return Gbnf.literal(switch (cp) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\f' -> "\\f";
            case 0x08 -> "\\b";
            default -> cp < 0x20 ? String.format("\\u%04x", cp) : Character.toString(cp);
        });
    }

    private UnenforceableSchemaException refuse(String what) {
        return new UnenforceableSchemaException("pattern", pointer, "the pattern " + source + " has " + what
                + ", which a grammar cannot enforce; rewrite the pattern or ask for lenient mode");
    }

    private static int saturate(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
