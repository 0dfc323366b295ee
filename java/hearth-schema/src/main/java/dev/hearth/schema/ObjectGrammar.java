package dev.hearth.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Objects: the declared properties in their declared order (required ones always, optional ones or not), counted
 * so that minProperties/maxProperties hold; dependentRequired makes a present property's dependents required (an
 * optional property with dependents is left out); a map (no declared properties) takes keys from
 * patternProperties, propertyNames or any string, with values from additionalProperties. Keys of a map are not forced
 * to differ: a repeated key fails validation.
 */
final class ObjectGrammar {
    private record Entry(String kv, boolean required) {
    }

    private final JsonSchemaGrammar c;
    private final Gbnf g;
    private final String sp;
    /** A map's entries: one repeated key-value rule (keys from a pattern or propertyNames), or free keys' values. */
    private record MapShape(String repeated, String freeValue) {
    }

    ObjectGrammar(JsonSchemaGrammar c, Gbnf g, String sp) {
        this.c = c;
        this.g = g;
        this.sp = sp;
    }

    String object(ObjectNode s, String ptr) {
        ObjectNode props = s.get("properties") instanceof ObjectNode p ? p : s.objectNode();
        Set<String> required = new LinkedHashSet<>();
        if (s.has("required")) {
            s.get("required").forEach(n -> required.add(n.asText()));
        }
        JsonNode ap = s.get("additionalProperties");
        JsonNode unevaluated = s.get("unevaluatedProperties");
        if (ap == null && unevaluated != null) {
            if (unevaluated.isBoolean()) {
                ap = unevaluated;
            } else {
                c.unenforceable("unevaluatedProperties", ptr, "only unevaluatedProperties true or false is enforced");
            }
        }
        int minP = JsonSchemaGrammar.count(s, "minProperties", ptr, 0);
        Integer maxP = s.has("maxProperties") ? JsonSchemaGrammar.count(s, "maxProperties", ptr, 0) : null;
        if (maxP != null && minP > maxP) {
            return null;
        }
        Set<String> leftOut = dependencies(s, required, ptr);
        JsonNode patterns = s.get("patternProperties");
        JsonNode names = s.get("propertyNames");
        SchemaValidator nameCheck = names == null ? null : SchemaValidator.of(names);

        List<String> order = new ArrayList<>();
        props.fieldNames().forEachRemaining(order::add);
        required.stream().filter(r -> !props.has(r)).forEach(order::add);
        List<Entry> entries = new ArrayList<>();
        for (String name : order) {
            boolean isRequired = required.contains(name);
            if (leftOut.contains(name) && !isRequired) {
                continue;
            }
            JsonNode schema = props.has(name) ? props.get(name) : ap == null ? BooleanNode.TRUE : ap;
            List<JsonNode> also = new ArrayList<>(List.of(schema));
            if (patterns != null) {
                patterns.properties().forEach(e -> {
                    if (Pattern.compile(e.getKey()).matcher(name).find()) {
                        also.add(e.getValue());
                    }
                });
            }
            if (nameCheck != null && !nameCheck.violations(TextNode.valueOf(name)).isEmpty()) {
                also.add(BooleanNode.FALSE);
            }
            String where = ptr + "/properties/" + JsonSchemaGrammar.escapePointer(name);
            String value = also.size() == 1 ? c.value(schema, where) : c.value(SchemaMerge.merge(also, where, c.lenient()), where);
            if (value == null) {
                if (isRequired) {
                    return null;
                }
                continue;
            }
            String key = Gbnf.literal(TextNode.valueOf(name).toString());
            entries.add(new Entry(g.rule("kv", key + " \":\" " + sp + " " + value), isRequired));
        }
        String extra = null;
        if (entries.isEmpty() && order.isEmpty()) {
            MapShape map = mapEntry(ap, patterns, names, maxP, ptr);
            extra = map.repeated();
            if (map.freeValue() != null) {
                entries = distinctKeys(map.freeValue(), maxP);
            }
        } else if (minP > entries.size()) {
            c.unenforceable("minProperties", ptr, "minProperties " + minP + " is more than the " + entries.size()
                    + " properties the schema declares; declare them");
            minP = entries.size(); // lenient: the validator will say what is missing
        }
        int cap = Math.max(1, Math.max(minP, maxP == null ? 0 : maxP));
        String body = sequence(entries, 0, 0, cap, minP, maxP, extra, new HashMap<>());
        return body == null ? null : g.rule("object", "\"{\" " + sp + " " + body + " " + sp + " \"}\"");
    }

    // dependentRequired and dependentSchemas: the properties that must be left out (optional ones with dependents)
    private Set<String> dependencies(ObjectNode s, Set<String> required, String ptr) {
        Set<String> leftOut = new HashSet<>();
        JsonNode deps = s.get("dependentRequired");
        if (deps != null) {
            boolean grew = true;
            while (grew) {
                grew = false;
                for (var e : deps.properties()) {
                    if (required.contains(e.getKey())) {
                        for (JsonNode d : e.getValue()) {
                            grew |= required.add(d.asText());
                        }
                    }
                }
            }
            deps.fieldNames().forEachRemaining(leftOut::add);
        }
        JsonNode schemas = s.get("dependentSchemas");
        if (schemas != null) {
            for (var e : schemas.properties()) {
                if (required.contains(e.getKey())) {
                    c.unenforceable("dependentSchemas", ptr + "/dependentSchemas/"
                            + JsonSchemaGrammar.escapePointer(e.getKey()), "it applies to a required property; put"
                            + " its keywords in the schema itself");
                }
                leftOut.add(e.getKey());
            }
        }
        return leftOut;
    }

    // one key and value of a map: from patternProperties, else propertyNames and additionalProperties
    private MapShape mapEntry(JsonNode ap, JsonNode patterns, JsonNode names, Integer maxP, String ptr) {
        List<String> options = new ArrayList<>();
        if (patterns != null && !patterns.isEmpty()) {
            for (var e : patterns.properties()) {
                Regex.Piece key = Regex.toGbnf(e.getKey(), ptr + "/patternProperties");
                String value = c.value(e.getValue(), ptr + "/patternProperties/" + JsonSchemaGrammar.escapePointer(e.getKey()));
                if (value != null && key.max() > 0) {
                    options.add("\"\\\"\" " + key.gbnf() + " \"\\\"\" \":\" " + sp + " " + value);
                }
            }
        } else if (ap == null || !(ap.isBoolean() && !ap.asBoolean())) {
            String value = c.value(ap == null ? BooleanNode.TRUE : ap, ptr + "/additionalProperties");
            if (names != null) {
                ObjectNode asString = names.isObject() ? ((ObjectNode) names).deepCopy() : new ObjectNode(null);
                asString.put("type", "string");
                String key = c.value(asString, ptr + "/propertyNames");
                if (key != null && value != null) {
                    options.add(key + " \":\" " + sp + " " + value);
                }
            } else if (value != null) {
                return new MapShape(null, value);
            }
        }
        if (!options.isEmpty() && (maxP == null || maxP > 1)) {
            c.unenforceable(patterns != null && !patterns.isEmpty() ? "patternProperties" : "propertyNames", ptr,
                    "the keys of a map drawn from a pattern cannot be kept distinct by a grammar; set maxProperties"
                            + " to 1, or declare the properties");
        }
        String entry = Gbnf.alternatives(options);
        return new MapShape(entry == null ? null : g.rule("kv", entry), null);
    }

    /**
     * The entries of a map with free keys, kept distinct by construction: the i-th may-be-present entry's key starts
     * with a letter no other entry's key starts with (a-z shared out among them), so a map has at most 26 entries.
     */
    private List<Entry> distinctKeys(String value, Integer maxP) {
        int n = Math.min(26, maxP == null ? 26 : maxP);
        List<Entry> out = new ArrayList<>();
        String ch = c.plainChar();
        int per = n == 0 ? 26 : 26 / n;
        for (int i = 0; i < n; i++) {
            char from = (char) ('a' + i * per);
            char to = (char) (i == n - 1 ? 'z' : 'a' + (i + 1) * per - 1);
            String first = from == to ? "\"" + from + "\"" : "[" + from + "-" + to + "]";
            out.add(new Entry(g.rule("kv", "\"\\\"\" " + first + " " + ch + "{0,23} \"\\\"\" \":\" " + sp + " "
                    + value), false));
        }
        return out;
    }

    // the entries from i on, `count` written so far (clipped at cap); then the map's entries
    private String sequence(List<Entry> entries, int i, int count, int cap, int minP, Integer maxP, String extra,
            Map<String, String> memo) {
        String key = i + "/" + count;
        if (memo.containsKey(key)) {
            return memo.get(key);
        }
        String result;
        if (i == entries.size()) {
            if (extra == null) {
                result = count >= minP ? "" : null;
            } else {
                result = c.repeat(extra, count == 0, Math.max(0, minP - count), maxP == null ? null : maxP - count);
            }
        } else {
            Entry e = entries.get(i);
            String sep = count == 0 ? "" : "\",\" " + sp + " ";
            String take = maxP != null && count + 1 > maxP ? null
                    : Gbnf.sequence(sep + e.kv(), sequence(entries, i + 1, Math.min(count + 1, cap), cap, minP, maxP, extra, memo));
            String skip = e.required() ? null : sequence(entries, i + 1, count, cap, minP, maxP, extra, memo);
            String body = Gbnf.alternatives(Arrays.asList(take, skip));
            result = body == null ? null : i + 1 == entries.size() && !body.contains("|") ? body : g.rule("props", body);
        }
        memo.put(key, result);
        return result;
    }
}
