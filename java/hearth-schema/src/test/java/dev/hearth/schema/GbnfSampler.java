package dev.hearth.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random sentences of a GBNF grammar, for testing the converter without a model: the subset of GBNF it writes
 * (literals, classes, rule names, groups, alternatives, ?, *, +, {m,n}). Unbounded repetitions stop after a few.
 */
final class GbnfSampler {
    private sealed interface Node permits Lit, Cls, Ref, Alt, Seq, Rep {
    }

    private record Lit(String text) implements Node {
    }

    private record Cls(boolean negated, List<int[]> ranges) implements Node {
    }

    private record Ref(String name) implements Node {
    }

    private record Alt(List<Node> options) implements Node {
    }

    private record Seq(List<Node> parts) implements Node {
    }

    private record Rep(Node node, int min, int max) implements Node {
    }

    private static final int[] POOL = {'a', 'Z', '0', '7', ' ', '-', '.', '_', '"', '\\', '\n', 'é', '中', 0x1F600, '/', '#', 'x'};
    private final Map<String, Node> rules = new HashMap<>();
    private String src;
    private int at;

    GbnfSampler(String grammar) {
        for (String line : grammar.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf("::=");
            src = line.substring(eq + 3);
            at = 0;
            rules.put(line.substring(0, eq).strip(), alt());
        }
    }

    String sample(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        emit(rules.get("root"), random, out, 0);
        return out.toString();
    }

    private void emit(Node n, SplittableRandom r, StringBuilder out, int depth) {
        if (depth > 400) {
            throw new IllegalStateException("the grammar recursed too deep");
        }
        switch (n) {
            case Lit l -> out.append(l.text());
            case Cls c -> out.appendCodePoint(pick(c, r));
            case Ref ref -> emit(rules.get(ref.name()), r, out, depth + 1);
            case Alt a -> emit(a.options().get(r.nextInt(a.options().size())), r, out, depth + 1);
            case Seq s -> s.parts().forEach(p -> emit(p, r, out, depth + 1));
            case Rep rep -> {
                int max = rep.max() == Integer.MAX_VALUE ? rep.min() + 3 : rep.max();
                int times = rep.min() + r.nextInt(max - rep.min() + 1);
                for (int i = 0; i < times; i++) {
                    emit(rep.node(), r, out, depth + 1);
                }
            }
        }
    }

    private static int pick(Cls c, SplittableRandom r) {
        if (!c.negated()) {
            int[] range = c.ranges().get(r.nextInt(c.ranges().size()));
            return range[0] + r.nextInt(range[1] - range[0] + 1);
        }
        for (int tries = 0; tries < 100; tries++) {
            int cp = POOL[r.nextInt(POOL.length)];
            if (c.ranges().stream().noneMatch(x -> cp >= x[0] && cp <= x[1])) {
                return cp;
            }
        }
        throw new IllegalStateException("no character outside the negated class");
    }

    private Node alt() {
        List<Node> options = new ArrayList<>();
        options.add(seq());
        while (peek() == '|') {
            at++;
            options.add(seq());
        }
        return options.size() == 1 ? options.getFirst() : new Alt(options);
    }

    private Node seq() {
        List<Node> parts = new ArrayList<>();
        while (true) {
            char c = peek();
            if (c == 0 || c == '|' || c == ')') {
                return new Seq(parts);
            }
            Node atom;
            if (c == '"') {
                at++;
                StringBuilder s = new StringBuilder();
                while (src.charAt(at) != '"') {
                    s.appendCodePoint(charAt());
                }
                at++;
                atom = new Lit(s.toString());
            } else if (c == '[') {
                at++;
                boolean neg = src.charAt(at) == '^';
                if (neg) {
                    at++;
                }
                List<int[]> ranges = new ArrayList<>();
                while (src.charAt(at) != ']') {
                    int lo = charAt();
                    int hi = lo;
                    if (src.charAt(at) == '-' && src.charAt(at + 1) != ']') {
                        at++;
                        hi = charAt();
                    }
                    ranges.add(new int[] {lo, hi});
                }
                at++;
                atom = new Cls(neg, ranges);
            } else if (c == '(') {
                at++;
                atom = alt();
                peek();
                at++; // ')'
            } else {
                int start = at;
                while (at < src.length() && (Character.isLetterOrDigit(src.charAt(at)) || src.charAt(at) == '-')) {
                    at++;
                }
                if (start == at) {
                    throw new IllegalStateException("cannot read the grammar at: " + src.substring(at));
                }
                atom = new Ref(src.substring(start, at));
            }
            parts.add(quantifier(atom));
        }
    }

    private Node quantifier(Node atom) {
        if (at >= src.length()) {
            return atom;
        }
        char q = src.charAt(at);
        switch (q) {
            case '?' -> {
                at++;
                return new Rep(atom, 0, 1);
            }
            case '*' -> {
                at++;
                return new Rep(atom, 0, Integer.MAX_VALUE);
            }
            case '+' -> {
                at++;
                return new Rep(atom, 1, Integer.MAX_VALUE);
            }
            case '{' -> {
                int end = src.indexOf('}', at);
                String[] b = src.substring(at + 1, end).split(",", -1);
                at = end + 1;
                int min = Integer.parseInt(b[0].strip());
                int max = b.length == 1 ? min : b[1].isBlank() ? Integer.MAX_VALUE : Integer.parseInt(b[1].strip());
                return new Rep(atom, min, max);
            }
            default -> {
                return atom;
            }
        }
    }

    private char peek() {
        while (at < src.length() && src.charAt(at) == ' ') {
            at++;
        }
        return at < src.length() ? src.charAt(at) : 0;
    }

    // one character of a literal or class, escapes decoded
    private int charAt() {
        char c = src.charAt(at++);
        if (c != '\\') {
            int cp = src.codePointAt(at - 1);
            at += Character.charCount(cp) - 1;
            return cp;
        }
        char e = src.charAt(at++);
        return switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'x' -> hex(2);
            case 'u' -> hex(4);
            case 'U' -> hex(8);
            default -> e;
        };
    }

    private int hex(int n) {
        int v = Integer.parseInt(src.substring(at, at + n), 16);
        at += n;
        return v;
    }
}
