package dev.hearth.schema;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules of one grammar being built: each body gets one name (the same body twice is one rule), names are made
 * from a hint, and the number of rules is bounded (llama.cpp parses grammars recursively on the caller's stack).
 */
final class Gbnf {
    static final int MAX_RULES = 1800;

    private final Map<String, String> nameOfBody = new HashMap<>();
    private final LinkedHashMap<String, String> bodyOfName = new LinkedHashMap<>();
    private final Map<String, Integer> used = new HashMap<>();

    /** A rule with this body: its name (an existing one when the body is already known). */
    String rule(String hint, String body) {
        String known = nameOfBody.get(body);
        if (known != null) {
            return known;
        }
        if (bodyOfName.size() >= MAX_RULES) {
            throw new UnenforceableSchemaException("", "#", "the schema needs more than " + MAX_RULES
                    + " grammar rules; simplify it (fewer alternatives, smaller numeric ranges, shallower recursion)");
        }
        String base = hint.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        base = base.isEmpty() ? "r" : base.length() > 40 ? base.substring(0, 40) : base;
        int n = used.merge(base, 1, Integer::sum);
        String name = n == 1 && !base.equals("root") ? base : base + "-" + n;
        nameOfBody.put(body, name);
        bodyOfName.put(name, body);
        return name;
    }

    /** The grammar, with {@code root ::= expression} first. */
    String grammar(String rootExpression) {
        StringBuilder out = new StringBuilder("root ::= ").append(rootExpression).append('\n');
        bodyOfName.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        return out.toString();
    }

    /** A GBNF string literal matching {@code text} exactly. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> out.append(escape(c, false)));
        return out.append('"').toString();
    }

    /** A code point as it may stand inside a GBNF literal ({@code inClass} false) or character class. */
    static String escape(int c, boolean inClass) {
        return switch (c) {
            case '"' -> inClass ? "\"" : "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case ']' -> inClass ? "\\]" : "]";
            case '[' -> inClass ? "\\[" : "[";
            case '-' -> inClass ? "\\-" : "-";
            case '^' -> inClass ? "\\^" : "^";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02X", c) : Character.toString(c);
        };
    }

    /** Alternatives, or null when there are none (nothing can be produced). */
    static String alternatives(java.util.List<String> options) {
        var present = options.stream().filter(java.util.Objects::nonNull).distinct().toList();
        if (present.isEmpty()) {
            return null;
        }
        return present.size() == 1 ? present.getFirst() : "(" + String.join(" | ", present.stream()
                .map(o -> o.isEmpty() ? "\"\"" : o).toList()) + ")";
    }

    /** Expressions in sequence; null when any of them is null. */
    static String sequence(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            if (p == null) {
                return null;
            }
            if (!p.isEmpty()) {
                out.append(out.isEmpty() ? "" : " ").append(p);
            }
        }
        return out.toString();
    }
}
