package dev.hearth.llama;

import static dev.hearth.llama.internal.Budgets.MAX_BLOCK_NESTING;
import static dev.hearth.llama.internal.Budgets.MAX_LOOP_NESTING;
import static dev.hearth.llama.internal.Budgets.MAX_MACRO_DEPTH;
import static dev.hearth.llama.internal.Budgets.MAX_TAG_NESTING;
import static dev.hearth.llama.internal.Budgets.MAX_TAG_OPERATORS;
import static dev.hearth.llama.internal.Budgets.MAX_TEMPLATE_CHARS;
import static dev.hearth.llama.internal.Budgets.MAX_TEMPLATE_INTEGER;

import dev.hearth.llama.JinjaSource.Kind;
import dev.hearth.llama.JinjaSource.Tag;
import dev.hearth.llama.JinjaSource.Token;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a chat template must satisfy before llama.cpp's Jinja engine sees it (a GGUF file carries its own template and
 * users pass overrides). The engine parses and runs templates by recursion without a limit, on
 * {@link dev.hearth.llama.internal.NativeStack}; a native stack overflow ends the JVM. So the template's static
 * nesting is budgeted (see {@link dev.hearth.llama.internal.Budgets}: tags, blocks, loops, literals), and so is the
 * nesting of macro calls:
 * <ul>
 * <li>without a cycle among the macros, the longest chain of calls is counted here;</li>
 * <li>with one (real templates recurse into tool schemas and arguments: Hermes' {@code json_to_python_type},
 * gpt-oss' {@code render_typescript_type}, Gemma 4's {@code format_argument}), whether a recursion ends cannot be
 * decided from the source, so it is bounded while it runs: every macro gets a hidden first parameter, its call depth,
 * and every call passes its caller's depth plus one, or raises a template error once it would pass
 * {@link dev.hearth.llama.internal.Budgets#MAX_MACRO_DEPTH}. Only argument lists change: the text, the whitespace
 * and the output of a template that stays within the depth do not.</li>
 * </ul>
 * For that bound to hold, a macro's name may only be used to call it (not stored, passed or rebound), macro names
 * may not hide llama.cpp's global functions, and {@code {% call %}} blocks, whose {@code caller()} can recurse
 * through the top level, are refused; no model's template needs any of these.
 */
final class TemplateChecks {
    /** The hidden parameter; llama.cpp binds arguments by position, so it goes first. */
    static final String DEPTH = "__hearth_depth";
    private static final Set<String> GLOBALS = Set.of("raise_exception", "namespace", "strftime_now", "range",
            "tojson", "caller", "loop", "self", "varargs", "kwargs");
    private static final Set<String> KEYWORD_OPERATORS = Set.of("and", "or", "not", "in", "is", "if", "else");
    private static final Map<String, String> BLOCK_ENDS = Map.of("if", "endif", "for", "endfor", "macro",
            "endmacro", "filter", "endfilter", "set", "endset");

    private TemplateChecks() {
    }

    private record Macro(String name, Token paramsOpen, Token paramsClose) {
    }

    private record Call(Macro caller, String callee, Token open, Token close) {
    }

    /**
     * Checks a template and returns the source to give llama.cpp: the same text, or, for macros that call each
     * other in a cycle, the text with their call depth bounded. Throws IllegalArgumentException saying what to change.
     */
    static String guard(String source) {
        if (source.length() > MAX_TEMPLATE_CHARS) {
            throw refused("has " + source.length() + " characters; Hearth accepts templates of up to "
                    + MAX_TEMPLATE_CHARS);
        }
        List<Tag> tags = JinjaSource.tags(source);
        Map<Tag, Macro> owners = new HashMap<>();
        List<Macro> macros = new ArrayList<>(); // definitions, in order (a name may be defined again)
        checkBlocks(source, tags, owners, macros);
        Set<String> names = new HashSet<>();
        macros.forEach(m -> names.add(m.name()));
        List<Call> calls = new ArrayList<>();
        for (Tag tag : tags) {
            checkTag(source, tag);
            findCalls(source, tag, owners.get(tag), names, calls);
        }
        Map<String, List<String>> graph = new HashMap<>();
        names.forEach(m -> graph.put(m, new ArrayList<>()));
        for (Call c : calls) {
            if (c.caller() != null) {
                graph.get(c.caller().name()).add(c.callee());
            }
        }
        if (!hasCycle(graph)) {
            int longest = longestChain(graph);
            if (longest > MAX_MACRO_DEPTH) {
                throw refused("has macros that call each other " + longest + " deep; Hearth accepts up to "
                        + MAX_MACRO_DEPTH);
            }
            return source;
        }
        for (String name : names) {
            if (GLOBALS.contains(name) || name.equals(DEPTH)) {
                throw refused("names a macro " + name + ", as one of the Jinja engine's own functions; rename it");
            }
        }
        return withDepth(source, macros, calls);
    }

    // Block nesting, loops, macro definitions and which macro each tag is in.
    private static void checkBlocks(String source, List<Tag> tags, Map<Tag, Macro> owners, List<Macro> macros) {
        Deque<String> blocks = new ArrayDeque<>();
        Deque<Macro> open = new ArrayDeque<>();
        int loops = 0;
        for (Tag tag : tags) {
            if (!open.isEmpty()) {
                owners.put(tag, open.peek());
            }
            String keyword = tag.keyword();
            if (keyword.equals("call")) {
                throw refused("uses a {% call %} block (line " + JinjaSource.line(source, tag.start())
                        + "), which Hearth does not run: caller() can recurse without a bound");
            }
            if (BLOCK_ENDS.containsKey(keyword) && !(keyword.equals("set") && hasTopLevel(tag, "="))) {
                blocks.push(keyword);
                loops += keyword.equals("for") ? 1 : 0;
                if (blocks.size() > MAX_BLOCK_NESTING || loops > MAX_LOOP_NESTING) {
                    throw refused("nests " + (loops > MAX_LOOP_NESTING ? loops + " for loops" : blocks.size()
                            + " blocks") + " at line " + JinjaSource.line(source, tag.start()) + "; Hearth accepts "
                            + MAX_BLOCK_NESTING + " blocks with up to " + MAX_LOOP_NESTING + " loops among them");
                }
                if (keyword.equals("macro")) {
                    Macro m = macro(source, tag);
                    macros.add(m);
                    open.push(m);
                }
            } else if (keyword.startsWith("end") && BLOCK_ENDS.containsValue(keyword) && !blocks.isEmpty()) {
                String closed = blocks.pop();
                loops -= closed.equals("for") ? 1 : 0;
                if (closed.equals("macro") && !open.isEmpty()) {
                    open.pop();
                }
            }
        }
    }

    private static Macro macro(String source, Tag tag) {
        List<Token> t = tag.tokens();
        if (t.size() < 3 || t.get(1).kind() != Kind.NAME || !t.get(2).is("(")) {
            throw refused("has a macro definition it cannot read at line " + JinjaSource.line(source, tag.start()));
        }
        return new Macro(t.get(1).text(), t.get(2), t.get(matching(t, 2)));
    }

    // Bracket nesting, operators (which the parser nests one level each) and integer literals of one tag.
    private static void checkTag(String source, Tag tag) {
        int depth = 0, deepest = 0, operators = 0;
        for (Token t : tag.tokens()) {
            switch (t.kind()) {
                case SYMBOL -> {
                    depth += bracket(t);
                    deepest = Math.max(deepest, depth);
                    if (bracket(t) >= 0 && !t.is(",") && !t.is(":") && !t.is("=")) {
                        operators++;
                    }
                }
                case NAME -> operators += KEYWORD_OPERATORS.contains(t.text()) ? 1 : 0;
                case NUMBER -> {
                    if (!t.text().contains(".") && new BigInteger(t.text()).compareTo(BIG) > 0) {
                        throw refused("has the number " + t.text() + " at line " + JinjaSource.line(source, t.start())
                                + "; Hearth accepts integers up to " + MAX_TEMPLATE_INTEGER + " (bigger ones make"
                                + " loops that run for hours)");
                    }
                }
                case STRING -> { }
            }
        }
        if (deepest > MAX_TAG_NESTING || operators > MAX_TAG_OPERATORS) {
            throw refused("has an expression at line " + JinjaSource.line(source, tag.start()) + " with " + operators
                    + " operators nested " + deepest + " deep; Hearth accepts up to " + MAX_TAG_OPERATORS
                    + " operators nested up to " + MAX_TAG_NESTING + " deep");
        }
    }

    private static final BigInteger BIG = BigInteger.valueOf(MAX_TEMPLATE_INTEGER);

    // Every mention of a macro's name must be a call (or its own definition, or an attribute or keyword of that name).
    private static void findCalls(String source, Tag tag, Macro owner, Set<String> macros, List<Call> calls) {
        List<Token> t = tag.tokens();
        boolean definition = tag.keyword().equals("macro");
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            Token token = t.get(i);
            depth += bracket(token);
            if (token.kind() != Kind.NAME || !macros.contains(token.text()) || (definition && i == 1)
                    || (i > 0 && t.get(i - 1).is("."))) {
                continue;
            }
            boolean next = i + 1 < t.size();
            if (definition) {
                throw refused("names macro " + token.text() + " among the parameters of another at line "
                        + JinjaSource.line(source, token.start()) + "; Hearth cannot bound calls made from there");
            }
            if (next && t.get(i + 1).is("(")) {
                calls.add(new Call(owner, token.text(), t.get(i + 1), t.get(matching(t, i + 1))));
            } else if (!(next && t.get(i + 1).is("=") && depth > 0)) {
                throw refused("uses macro " + token.text() + " at line " + JinjaSource.line(source, token.start())
                        + " other than by calling it; Hearth cannot bound the recursion of a macro passed around");
            }
        }
    }

    // 1 for an opening bracket, -1 for a closing one.
    private static int bracket(Token t) {
        return t.is("(") || t.is("[") || t.is("{") ? 1 : t.is(")") || t.is("]") || t.is("}") ? -1 : 0;
    }

    private static boolean hasTopLevel(Tag tag, String symbol) {
        int depth = 0;
        for (Token t : tag.tokens()) {
            depth += bracket(t);
            if (depth == 0 && t.is(symbol)) {
                return true;
            }
        }
        return false;
    }

    // The index of the bracket closing the one at open, or the last token when it is never closed.
    private static int matching(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            depth += bracket(t.get(i));
            if (depth == 0) {
                return i;
            }
        }
        return t.size() - 1;
    }

    private static boolean hasCycle(Map<String, List<String>> graph) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : graph.keySet()) {
            Deque<Map.Entry<String, Integer>> stack = new ArrayDeque<>();
            if (state.containsKey(start)) {
                continue;
            }
            stack.push(Map.entry(start, 0));
            state.put(start, 1);
            while (!stack.isEmpty()) {
                Map.Entry<String, Integer> top = stack.pop();
                List<String> next = graph.get(top.getKey());
                if (top.getValue() < next.size()) {
                    stack.push(Map.entry(top.getKey(), top.getValue() + 1));
                    String n = next.get(top.getValue());
                    Integer s = state.get(n);
                    if (s != null && s == 1) {
                        return true;
                    }
                    if (s == null) {
                        state.put(n, 1);
                        stack.push(Map.entry(n, 0));
                    }
                } else {
                    state.put(top.getKey(), 2);
                }
            }
        }
        return false;
    }

    // Macros in the longest chain of calls, a call from the top level counted as the first (acyclic graph).
    private static int longestChain(Map<String, List<String>> graph) {
        Map<String, Integer> chain = new HashMap<>();
        int longest = 0;
        for (String m : topologicalOrder(graph)) { // callees before callers
            int below = 0;
            for (String callee : graph.get(m)) {
                below = Math.max(below, chain.get(callee));
            }
            chain.put(m, below + 1);
            longest = Math.max(longest, below + 1);
        }
        return longest;
    }

    private static List<String> topologicalOrder(Map<String, List<String>> graph) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            Deque<Map.Entry<String, Integer>> stack = new ArrayDeque<>();
            if (done.add(start)) {
                stack.push(Map.entry(start, 0));
            }
            while (!stack.isEmpty()) {
                Map.Entry<String, Integer> top = stack.pop();
                List<String> next = graph.get(top.getKey());
                if (top.getValue() < next.size()) {
                    stack.push(Map.entry(top.getKey(), top.getValue() + 1));
                    if (done.add(next.get(top.getValue()))) {
                        stack.push(Map.entry(next.get(top.getValue()), 0));
                    }
                } else {
                    order.add(top.getKey());
                }
            }
        }
        return order;
    }

    // The source with every macro's depth as its first parameter and every call passing it on.
    private static String withDepth(String source, Iterable<Macro> macros, List<Call> calls) {
        TreeMap<Integer, String> inserts = new TreeMap<>();
        for (Macro m : macros) {
            inserts.put(m.paramsOpen().end(), DEPTH + separator(source, m.paramsOpen(), m.paramsClose()));
        }
        String deeper = "(" + DEPTH + " + 1 if " + DEPTH + " < " + MAX_MACRO_DEPTH + " else raise_exception('macro calls"
                + " nest deeper than " + MAX_MACRO_DEPTH + ", the bound Hearth sets on template recursion'))";
        for (Call c : calls) {
            inserts.merge(c.open().end(), (c.caller() == null ? "0" : deeper) + separator(source, c.open(), c.close()),
                    String::concat);
        }
        StringBuilder out = new StringBuilder(source.length() + inserts.size() * 64);
        int from = 0;
        for (Map.Entry<Integer, String> e : inserts.entrySet()) {
            out.append(source, from, e.getKey()).append(e.getValue());
            from = e.getKey();
        }
        return out.append(source.substring(from)).toString();
    }

    // ", " when the brackets hold arguments already.
    private static String separator(String source, Token open, Token close) {
        return close.is(")") && source.substring(open.end(), close.start()).isBlank() ? "" : ", ";
    }

    private static IllegalArgumentException refused(String what) {
        return new IllegalArgumentException("the chat template " + what + " (llama.cpp's Jinja engine recurses on"
                + " the template without a limit; fix the template or pass an override)");
    }
}
