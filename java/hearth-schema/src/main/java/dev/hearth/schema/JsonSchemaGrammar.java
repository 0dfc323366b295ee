package dev.hearth.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON Schema 2020-12 to a GBNF grammar whose every sentence validates against the schema. Where the schema allows
 * more than a model needs, the grammar produces a subset: properties in their declared order, only the declared
 * properties unless the object is a map, numbers without exponents, a recursive {@code $ref} unrolled
 * {@value #MAX_RECURSION} levels deep. What no grammar can enforce ({@code not}, {@code if}, {@code uniqueItems},
 * {@code contains}, overlapping {@code oneOf} alternatives, unknown formats, ...) is refused with its keyword and
 * JSON pointer in {@link Mode#EXACT}; {@link Mode#LENIENT} samples without it, and the answer must then pass
 * {@link SchemaValidator} (which it must anyway).
 */
public final class JsonSchemaGrammar {
    /** What to do with a keyword no grammar can enforce. */
    public enum Mode {
        /** Refuse the schema up front, naming the keyword and where it is. */
        EXACT,
        /** Sample without that keyword; the answer is validated after, and fails when it breaks the keyword. */
        LENIENT
    }

    static final int MAX_RECURSION = 3;
    private static final int MAX_STEPS = 20_000;
    private static final int MAX_LENGTH = 1000;
    private static final Set<String> TYPES = Set.of("null", "boolean", "object", "array", "number", "integer", "string");
    private static final Set<String> NOTES = Set.of("title", "description", "default", "examples", "$comment",
            "deprecated", "readOnly", "writeOnly", "$id", "$schema", "$defs", "definitions", "$anchor",
            "contentEncoding", "contentMediaType", "contentSchema", "$vocabulary", "$dynamicAnchor");

    private final JsonNode root;
    private final boolean lenient;
    private final Gbnf g = new Gbnf();
    private final Numbers numbers = new Numbers(g);
    private final Deque<String> refs = new ArrayDeque<>();
    private final Map<String, Optional<String>> memo = new HashMap<>();
    private final String sp;
    private final ObjectGrammar objects;
    private int steps;

    private JsonSchemaGrammar(JsonNode root, boolean lenient) {
        this.root = root;
        this.lenient = lenient;
        this.sp = g.rule("sp", "\" \"?");
        this.objects = new ObjectGrammar(this, g, sp);
    }

    /** The grammar of a schema given as JSON text. */
    public static String gbnf(String schemaJson, Mode mode) {
        return gbnf(parse(schemaJson), mode);
    }

    /**
     * The grammar of a schema: accepts only values the schema validates.
     *
     * @throws UnenforceableSchemaException a keyword a grammar cannot enforce (EXACT mode), with its JSON pointer
     * @throws IllegalArgumentException     a schema that is malformed, or that no value satisfies
     */
    public static String gbnf(JsonNode schema, Mode mode) {
        SchemaValidator.of(schema); // refers only inside itself, and is a schema networknt accepts
        JsonSchemaGrammar c = new JsonSchemaGrammar(schema, mode == Mode.LENIENT);
        String value = c.value(schema, "#");
        if (value == null) {
            throw new IllegalArgumentException("no JSON value satisfies this schema (its constraints contradict each"
                    + " other, or it only recurses); fix the schema");
        }
        return c.g.grammar(value);
    }

    static JsonNode parse(String schemaJson) {
        try {
            JsonNode n = SchemaValidator.STRICT.readTree(schemaJson);
            if (n == null || !(n.isObject() || n.isBoolean())) {
                throw new IllegalArgumentException("a JSON schema is an object (or true/false), not " + schemaJson);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the JSON schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The expression of the values a schema accepts, or null when it accepts none. */
    String value(JsonNode node, String ptr) {
        if (++steps > MAX_STEPS) {
            throw new UnenforceableSchemaException("", ptr, "the schema expands into more than " + MAX_STEPS
                    + " pieces (references reached along many paths); simplify it");
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? any() : null;
        }
        if (!(node instanceof ObjectNode s)) {
            throw new IllegalArgumentException("the schema at " + ptr + " is " + node.getNodeType().name().toLowerCase()
                    + ", not an object or a boolean");
        }
        if (s.has("$ref")) {
            return ref(s, ptr);
        }
        if (s.has("allOf")) {
            return allOf(s, ptr);
        }
        if (s.has("anyOf") || s.has("oneOf")) {
            return anyOf(s, ptr, s.has("anyOf") ? "anyOf" : "oneOf");
        }
        if (s.has("$dynamicRef")) {
            unenforceable("$dynamicRef", ptr, "dynamic references are not followed; use $ref");
        }
        if (s.has("not")) {
            unenforceable("not", ptr, "a grammar cannot exclude what a schema describes");
        }
        if (s.has("if")) {
            unenforceable("if", ptr, "if/then/else depends on the value being written");
        }
        if (s.has("enum") || s.has("const")) {
            return enumerated(s, ptr);
        }
        Set<String> types = s.has("type") ? SchemaMerge.types(s.get("type")) : inferTypes(s);
        if (types == null) {
            return any();
        }
        for (String t : types) {
            if (!TYPES.contains(t)) {
                throw new IllegalArgumentException("the schema at " + ptr + " has type \"" + t + "\"; JSON Schema's"
                        + " types are " + new java.util.TreeSet<>(TYPES));
            }
        }
        if (types.contains("number")) {
            types.remove("integer");
        }
        List<String> options = new ArrayList<>();
        for (String t : types) {
            options.add(switch (t) {
                case "null" -> "\"null\"";
                case "boolean" -> "(\"true\" | \"false\")";
                case "integer" -> integer(s, ptr);
                case "number" -> s.has("multipleOf") ? integer(s, ptr) : number(s);
                case "string" -> string(s, ptr);
                case "array" -> array(s, ptr);
                default -> objects.object(s, ptr);
            });
        }
        return Gbnf.alternatives(options);
    }

    private String ref(ObjectNode s, String ptr) {
        String target = s.get("$ref").asText();
        JsonNode resolved = resolve(target, ptr);
        if (refs.stream().filter(target::equals).count() >= MAX_RECURSION) {
            return null; // recursion bounded: the branches that recurse further are not taken
        }
        ObjectNode rest = withoutNotes(s);
        rest.remove("$ref");
        String key = target + "|" + refs + "|" + rest;
        Optional<String> known = memo.get(key);
        if (known != null) {
            return known.orElse(null);
        }
        refs.push(target);
        try {
            String result = rest.isEmpty() ? value(resolved, target)
                    : value(SchemaMerge.merge(List.of(resolved, rest), ptr, lenient), ptr);
            memo.put(key, Optional.ofNullable(result));
            return result;
        } finally {
            refs.pop();
        }
    }

    private JsonNode resolve(String ref, String ptr) {
        if (!ref.startsWith("#")) {
            throw new UnenforceableSchemaException("$ref", ptr, "only references inside the schema are followed");
        }
        JsonNode at = root;
        String path = java.net.URLDecoder.decode(ref.substring(1), java.nio.charset.StandardCharsets.UTF_8);
        if (!path.isEmpty()) {
            if (!path.startsWith("/")) {
                throw new UnenforceableSchemaException("$ref", ptr, "the reference " + ref + " names an anchor;"
                        + " refer by JSON pointer (#/$defs/NAME)");
            }
            for (String part : path.substring(1).split("/", -1)) {
                String name = part.replace("~1", "/").replace("~0", "~");
                at = at.isArray() && name.matches("\\d+") ? at.get(Integer.parseInt(name)) : at.get(name);
                if (at == null) {
                    throw new IllegalArgumentException("the reference " + ref + " at " + ptr + " points at nothing"
                            + " in the schema; add it under $defs");
                }
            }
        }
        return at;
    }

    private String allOf(ObjectNode s, String ptr) {
        List<JsonNode> parts = new ArrayList<>();
        ObjectNode rest = withoutNotes(s);
        rest.remove("allOf");
        parts.add(rest);
        int pushed = 0;
        try {
            Deque<JsonNode> todo = new ArrayDeque<>();
            s.get("allOf").forEach(todo::add);
            while (!todo.isEmpty()) {
                JsonNode part = todo.pop();
                if (part instanceof ObjectNode o && o.has("$ref")) {
                    String target = o.get("$ref").asText();
                    JsonNode resolved = resolve(target, ptr);
                    if (refs.stream().filter(target::equals).count() >= MAX_RECURSION) {
                        return null;
                    }
                    refs.push(target);
                    pushed++;
                    ObjectNode others = o.deepCopy();
                    others.remove("$ref");
                    todo.push(others);
                    todo.push(resolved);
                } else if (part instanceof ObjectNode o && o.has("allOf")) {
                    ObjectNode others = o.deepCopy();
                    others.remove("allOf");
                    todo.push(others);
                    o.get("allOf").forEach(todo::push);
                } else {
                    parts.add(part);
                }
            }
            return value(SchemaMerge.merge(parts, ptr, lenient), ptr);
        } finally {
            for (int i = 0; i < pushed; i++) {
                refs.pop();
            }
        }
    }

    private String anyOf(ObjectNode s, String ptr, String keyword) {
        JsonNode branches = s.get(keyword);
        if (!branches.isArray() || branches.isEmpty()) {
            throw new IllegalArgumentException(keyword + " at " + ptr + " must be a non-empty array of schemas");
        }
        ObjectNode rest = withoutNotes(s);
        rest.remove(keyword);
        if (keyword.equals("oneOf") && !lenient) {
            OneOf.checkDisjoint(branches, ptr, this::resolveTop);
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            JsonNode b = branches.get(i);
            options.add(rest.isEmpty() ? value(b, ptr + "/" + keyword + "/" + i)
                    : value(SchemaMerge.merge(List.of(rest, b), ptr + "/" + keyword + "/" + i, lenient), ptr));
        }
        return Gbnf.alternatives(options);
    }

    // a schema with its top-level $ref chain followed (for looking at what a oneOf branch is)
    private JsonNode resolveTop(JsonNode n) {
        for (int hops = 0; n instanceof ObjectNode o && o.has("$ref") && hops < 16; hops++) {
            n = resolve(o.get("$ref").asText(), "#");
        }
        return n;
    }

    private String enumerated(ObjectNode s, String ptr) {
        List<JsonNode> values = new ArrayList<>();
        if (s.has("const")) {
            values.add(s.get("const"));
        } else if (s.get("enum").isArray()) {
            s.get("enum").forEach(values::add);
        } else {
            throw new IllegalArgumentException("enum at " + ptr + " must be an array of values");
        }
        ObjectNode rest = withoutNotes(s);
        rest.remove("enum");
        rest.remove("const");
        if (!rest.isEmpty()) { // the values must also pass the schema's other keywords
            ObjectNode check = rest.deepCopy();
            for (String defs : new String[] {"$defs", "definitions"}) {
                if (root.has(defs) && !check.has(defs)) {
                    check.set(defs, root.get(defs));
                }
            }
            SchemaValidator v = SchemaValidator.of(check);
            values.removeIf(x -> !v.violations(x).isEmpty());
        }
        return Gbnf.alternatives(values.stream().distinct().map(x -> Gbnf.literal(x.toString())).toList());
    }

    private static Set<String> inferTypes(ObjectNode s) {
        Set<String> out = new LinkedHashSet<>();
        if (hasAny(s, "properties", "required", "additionalProperties", "minProperties", "maxProperties",
                "patternProperties", "propertyNames", "dependentRequired", "unevaluatedProperties")) {
            out.add("object");
        }
        if (hasAny(s, "items", "prefixItems", "minItems", "maxItems", "contains", "uniqueItems", "unevaluatedItems")) {
            out.add("array");
        }
        if (hasAny(s, "minLength", "maxLength", "pattern", "format")) {
            out.add("string");
        }
        if (hasAny(s, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) {
            out.add("number");
        }
        return out.isEmpty() ? null : out;
    }

    private static boolean hasAny(ObjectNode s, String... keys) {
        return Arrays.stream(keys).anyMatch(s::has);
    }

    /** Any JSON value, nested at most two levels (a model with no reason to stop still stops). */
    String any() {
        String scalar = g.rule("any-scalar", "(\"null\" | \"true\" | \"false\" | " + numbers.decimals(null, false, null, false)
                + " | " + plainString(0, 24) + ")");
        String inner = g.rule("any-inner", "(" + scalar + " | \"[\" " + sp + " (" + scalar + " (\",\" " + sp + " "
                + scalar + "){0,7})? \"]\" | \"{\" " + sp + " (" + plainString(1, 24) + " \":\" " + sp + " " + scalar
                + " (\",\" " + sp + " " + plainString(1, 24) + " \":\" " + sp + " " + scalar + "){0,7})? \"}\")");
        return g.rule("any", "(" + inner + " | \"[\" " + sp + " (" + inner + " (\",\" " + sp + " " + inner
                + "){0,7})? \"]\" | \"{\" " + sp + " (" + plainString(1, 24) + " \":\" " + sp + " " + inner
                + " (\",\" " + sp + " " + plainString(1, 24) + " \":\" " + sp + " " + inner + "){0,7})? \"}\")");
    }

    private String integer(ObjectNode s, String ptr) {
        Bounds b = Bounds.of(s, ptr);
        BigInteger lo = b.lo() == null ? null : b.loEx() ? b.lo().setScale(0, RoundingMode.FLOOR).toBigIntegerExact()
                .add(BigInteger.ONE) : b.lo().setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        BigInteger hi = b.hi() == null ? null : b.hiEx() ? b.hi().setScale(0, RoundingMode.CEILING).toBigIntegerExact()
                .subtract(BigInteger.ONE) : b.hi().setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigInteger step = BigInteger.ONE;
        if (s.has("multipleOf")) {
            BigDecimal m = s.get("multipleOf").decimalValue();
            if (!s.get("multipleOf").isNumber() || m.signum() <= 0) {
                throw new IllegalArgumentException("multipleOf at " + ptr + " must be a number above 0");
            }
            // an integer x is a multiple of p/q (lowest terms) exactly when p divides x
            BigInteger p = m.stripTrailingZeros().unscaledValue();
            BigInteger q = BigInteger.TEN.pow(Math.max(0, m.stripTrailingZeros().scale()));
            if (m.stripTrailingZeros().scale() < 0) {
                p = m.toBigIntegerExact();
                q = BigInteger.ONE;
            }
            step = p.divide(p.gcd(q));
        }
        return numbers.integers(lo, hi, step, ptr);
    }

    private String number(ObjectNode s) {
        Bounds b = Bounds.of(s, "#");
        return numbers.decimals(b.lo(), b.loEx(), b.hi(), b.hiEx());
    }

    private String string(ObjectNode s, String ptr) {
        int min = count(s, "minLength", ptr, 0);
        Integer max = s.has("maxLength") ? count(s, "maxLength", ptr, 0) : null;
        if (max != null && min > max) {
            return null;
        }
        String inner = null;
        if (s.has("format")) {
            String name = s.get("format").asText();
            Formats.Format f = Formats.of(name);
            if (f == null) {
                unenforceable("format", ptr, "Hearth's grammars enforce the formats " + Formats.names() + ", not \""
                        + name + "\"");
            } else if (s.has("pattern")) {
                unenforceable("pattern", ptr, "a pattern together with a format");
                inner = f.gbnf();
            } else if (f.minLength() < min || (max != null && f.maxLength() > max)) {
                unenforceable("maxLength", ptr, "the format " + name + " writes " + f.minLength() + " to "
                        + f.maxLength() + " characters, outside minLength/maxLength");
                inner = f.gbnf();
            } else {
                inner = f.gbnf();
            }
        }
        if (inner == null && s.has("pattern")) {
            try {
                Regex.Piece p = Regex.toGbnf(s.get("pattern").asText(), ptr);
                if (p.min() < min || (max != null && p.max() > max)) {
                    unenforceable("pattern", ptr, "the pattern allows " + p.min() + " to " + (p.max() == Integer.MAX_VALUE
                            ? "any number of" : p.max()) + " characters, beyond minLength/maxLength; bound its"
                            + " repetitions to match");
                }
                inner = p.gbnf().isEmpty() ? "\"\"" : p.gbnf();
            } catch (UnenforceableSchemaException e) {
                if (!lenient) {
                    throw e;
                }
            }
        }
        if (inner == null) {
            return plainString(min, max);
        }
        return g.rule("string", "\"\\\"\" " + inner + " \"\\\"\"");
    }

    /** A JSON string of min to max characters (max null: no limit), one code point each. */
    String plainString(int min, Integer max) {
        String ch = plainChar();
        if (min > MAX_LENGTH) {
            throw new UnenforceableSchemaException("minLength", "#", "Hearth enforces minLength up to " + MAX_LENGTH);
        }
        return g.rule("string", "\"\\\"\" " + times(ch, min, max) + " \"\\\"\"");
    }

    /** One character of a JSON string: any but quote, backslash and controls, or a short escape. */
    String plainChar() {
        return g.rule("char", "[^\"\\\\\\x00-\\x1F] | \"\\\\\" [\"\\\\/bfnrt]");
    }

    private String array(ObjectNode s, String ptr) {
        int min = count(s, "minItems", ptr, 0);
        Integer max = s.has("maxItems") ? count(s, "maxItems", ptr, 0) : null;
        if (s.has("uniqueItems") && s.get("uniqueItems").asBoolean() && (max == null || max > 1)) {
            unenforceable("uniqueItems", ptr, "a grammar cannot remember which items it has written");
        }
        if (s.has("contains") && !(s.has("minContains") && s.get("minContains").asInt() == 0)) {
            unenforceable("contains", ptr, "a grammar cannot count the items that match a schema");
        }
        List<String> prefix = new ArrayList<>();
        if (s.has("prefixItems")) {
            JsonNode p = s.get("prefixItems");
            for (int i = 0; i < p.size(); i++) {
                String item = value(p.get(i), ptr + "/prefixItems/" + i);
                if (item == null) {
                    max = max == null ? i : Math.min(max, i);
                    break;
                }
                prefix.add(item);
            }
        }
        JsonNode itemsNode = s.has("items") ? s.get("items")
                : s.has("unevaluatedItems") && s.get("unevaluatedItems").isBoolean() ? s.get("unevaluatedItems") : null;
        String item = itemsNode == null ? any() : value(itemsNode, ptr + "/items");
        if (item == null) {
            max = max == null ? prefix.size() : Math.min(max, prefix.size());
        }
        if (max != null && min > max) {
            return null;
        }
        String body = elements(prefix, 0, item, min, max);
        return body == null ? null : g.rule("array", "\"[\" " + sp + " " + body + " " + sp + " \"]\"");
    }

    // the elements from index i on: the prefix's, then `item` repeated, between min and max in all
    private String elements(List<String> prefix, int i, String item, int min, Integer max) {
        String sep = i == 0 ? "" : "\",\" " + sp + " ";
        if (i < prefix.size()) {
            String end = i >= min ? "" : null;
            String more = max != null && i >= max ? null : Gbnf.sequence(sep + prefix.get(i), elements(prefix, i + 1, item, min, max));
            return Gbnf.alternatives(Arrays.asList(end, more));
        }
        if (item == null) {
            return min <= i ? "" : null;
        }
        return repeat(item, i == 0, Math.max(0, min - i), max == null ? null : max - i);
    }

    /**
     * {@code item} lo to hi times (hi null: no limit), comma-separated, after a comma unless {@code first}. llama.cpp
     * repeats a rule at most 2,000 times: a minimum above {@value #MAX_LENGTH} cannot be enforced, and a maximum above
     * it is written in chunks of 100 that stay within it.
     */
    String repeat(String item, boolean first, int lo, Integer hi) {
        if (hi != null && hi <= 0) {
            return lo == 0 ? "" : null;
        }
        if (lo > MAX_LENGTH) {
            unenforceable("minItems", "#", "Hearth enforces minItems and minProperties up to " + MAX_LENGTH);
            lo = MAX_LENGTH; // lenient: as many as a grammar can hold, the validator judges the rest
        }
        // the repeated element is a rule of its own: llama.cpp refuses to repeat a long inline group many times
        String next = g.rule("item-next", "\",\" " + sp + " " + item);
        if (!first) {
            return times(next, lo, hi);
        }
        String rest = times(next, Math.max(0, lo - 1), hi == null ? null : hi - 1);
        return lo == 0 ? "(" + Gbnf.sequence(item, rest) + ")?" : Gbnf.sequence(item, rest);
    }

    /**
     * {@code rule} (a rule's name or a character class) lo to hi times (hi null: any number). Above
     * {@value #MAX_LENGTH}, in chunks of up to 100 (a rule of their own: llama.cpp counts the symbols of an inline
     * group against its limit) that stay within hi; past 100 chunks' worth of chunks, no upper bound (the validator
     * judges the answer).
     */
    String times(String rule, int lo, Integer hi) {
        if (hi == null) {
            return lo == 0 ? rule + "*" : rule + "{" + lo + ",}";
        }
        if (hi == 0) {
            return "";
        }
        if (hi <= MAX_LENGTH) {
            return lo == hi ? rule + "{" + lo + "}" : rule + "{" + lo + "," + hi + "}";
        }
        String head = lo == 0 ? "" : rule + "{" + lo + "} ";
        int chunks = (hi - lo) / 100;
        String chunk = g.rule("chunk", rule + "{0,100}");
        return head + (chunks > MAX_LENGTH ? chunk + "*" : chunk + "{0," + chunks + "}");
    }

    static int count(ObjectNode s, String key, String ptr, int none) {
        JsonNode n = s.get(key);
        if (n == null) {
            return none;
        }
        if (!n.canConvertToExactIntegral() || n.asLong() < 0 || n.asLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " at " + ptr + " must be a whole number from 0 to "
                    + Integer.MAX_VALUE + ", not " + n);
        }
        return n.asInt();
    }

    /** Refuses (EXACT) or lets the validator judge afterwards (LENIENT). */
    void unenforceable(String keyword, String ptr, String why) {
        if (!lenient) {
            throw new UnenforceableSchemaException(keyword, ptr, why + "; change the schema, or ask for lenient mode"
                    + " (sampled without it, validated after)");
        }
    }

    boolean lenient() {
        return lenient;
    }

    static ObjectNode withoutNotes(ObjectNode s) {
        ObjectNode copy = s.deepCopy();
        NOTES.forEach(copy::remove);
        return copy;
    }

    /** Numeric bounds, the tighter of the inclusive and exclusive one on each side. */
    record Bounds(BigDecimal lo, boolean loEx, BigDecimal hi, boolean hiEx) {
        static Bounds of(ObjectNode s, String ptr) {
            BigDecimal lo = num(s, "minimum", ptr), hi = num(s, "maximum", ptr);
            boolean loEx = false, hiEx = false;
            JsonNode exMin = s.get("exclusiveMinimum"), exMax = s.get("exclusiveMaximum");
            if (exMin != null && exMin.isBoolean()) { // draft 4
                loEx = exMin.asBoolean();
            } else if (exMin != null) {
                BigDecimal x = num(s, "exclusiveMinimum", ptr);
                if (lo == null || x.compareTo(lo) >= 0) {
                    lo = x;
                    loEx = true;
                }
            }
            if (exMax != null && exMax.isBoolean()) {
                hiEx = exMax.asBoolean();
            } else if (exMax != null) {
                BigDecimal x = num(s, "exclusiveMaximum", ptr);
                if (hi == null || x.compareTo(hi) <= 0) {
                    hi = x;
                    hiEx = true;
                }
            }
            return new Bounds(lo, loEx, hi, hiEx);
        }

        private static BigDecimal num(ObjectNode s, String key, String ptr) {
            JsonNode n = s.get(key);
            if (n == null) {
                return null;
            }
            if (!n.isNumber()) {
                throw new IllegalArgumentException(key + " at " + ptr + " must be a number, not " + n);
            }
            return n.decimalValue();
        }
    }
}
