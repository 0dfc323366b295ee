package dev.hearth.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code allOf}: several schemas (references already resolved) as one that accepts exactly the values all of them
 * accept, keyword by keyword. A keyword that two schemas both use and that cannot be combined (two patterns, two
 * prefixItems lists, two anyOf) is refused in exact mode; in lenient mode the first is kept and the answer is
 * validated after.
 */
final class SchemaMerge {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> LOWER = Set.of("minLength", "minItems", "minProperties", "minContains");
    private static final Set<String> UPPER = Set.of("maxLength", "maxItems", "maxProperties", "maxContains");
    private static final Set<String> NOTES = Set.of("title", "description", "default", "examples", "$comment",
            "deprecated", "readOnly", "writeOnly", "$id", "$schema", "$defs", "definitions", "$anchor");

    private SchemaMerge() {
    }

    /** One schema for all of {@code parts}; {@code false} (as a BooleanNode) when they contradict each other. */
    static JsonNode merge(List<JsonNode> parts, String pointer, boolean lenient) {
        ObjectNode out = F.objectNode();
        for (JsonNode part : parts) {
            if (part.isBoolean()) {
                if (!part.asBoolean()) {
                    return F.booleanNode(false);
                }
                continue;
            }
            for (var e : part.properties()) {
                String k = e.getKey();
                JsonNode v = e.getValue();
                JsonNode had = out.get(k);
                if (NOTES.contains(k)) {
                    continue;
                }
                if (had == null || had.equals(v)) {
                    out.set(k, v);
                } else if (!combine(out, k, had, v)) {
                    if (!lenient) {
                        throw new UnenforceableSchemaException(k, pointer, "allOf combines two different \"" + k
                                + "\" values (" + had + " and " + v + "), which a grammar cannot enforce together;"
                                + " merge them by hand or ask for lenient mode");
                    }
                }
            }
        }
        return restrictToClosedProperties(out, parts);
    }

    // both values known: true when out now holds their combination
    private static boolean combine(ObjectNode out, String k, JsonNode a, JsonNode b) {
        if (LOWER.contains(k) || k.equals("minimum") || k.equals("exclusiveMinimum")) {
            out.set(k, a.decimalValue().compareTo(b.decimalValue()) >= 0 ? a : b);
            return true;
        }
        if (UPPER.contains(k) || k.equals("maximum") || k.equals("exclusiveMaximum")) {
            out.set(k, a.decimalValue().compareTo(b.decimalValue()) <= 0 ? a : b);
            return true;
        }
        switch (k) {
            case "required" -> {
                Set<String> names = new LinkedHashSet<>();
                a.forEach(n -> names.add(n.asText()));
                b.forEach(n -> names.add(n.asText()));
                ArrayNode arr = F.arrayNode();
                names.forEach(arr::add);
                out.set(k, arr);
                return true;
            }
            case "type" -> {
                Set<String> common = new LinkedHashSet<>(types(a));
                Set<String> other = types(b);
                common.removeIf(t -> !other.contains(t) && !(t.equals("integer") && other.contains("number")));
                if (other.contains("integer") && common.contains("number")) {
                    common.remove("number");
                    common.add("integer");
                }
                ArrayNode arr = F.arrayNode();
                common.forEach(arr::add);
                out.set(k, arr); // empty: no type left, nothing validates
                return true;
            }
            case "enum", "const" -> {
                List<JsonNode> common = new ArrayList<>();
                for (JsonNode x : k.equals("enum") ? a : List.of(a)) {
                    for (JsonNode y : k.equals("enum") ? b : List.of(b)) {
                        if (x.equals(y)) {
                            common.add(x);
                        }
                    }
                }
                ArrayNode arr = F.arrayNode();
                common.forEach(arr::add);
                out.remove("const");
                out.set("enum", arr);
                return true;
            }
            case "multipleOf" -> {
                BigDecimal x = a.decimalValue(), y = b.decimalValue();
                if (x.remainder(y).signum() == 0 || y.remainder(x).signum() == 0) {
                    out.set(k, x.compareTo(y) >= 0 ? a : b);
                    return true;
                }
                return false;
            }
            case "properties" -> {
                ObjectNode props = ((ObjectNode) a).deepCopy();
                b.properties().forEach(e -> props.set(e.getKey(), props.has(e.getKey())
                        ? allOf(props.get(e.getKey()), e.getValue()) : e.getValue()));
                out.set(k, props);
                return true;
            }
            case "items", "additionalProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems" -> {
                if (a.isBoolean() && !a.asBoolean() || b.isBoolean() && !b.asBoolean()) {
                    out.set(k, F.booleanNode(false));
                } else {
                    out.set(k, a.isBoolean() ? b : b.isBoolean() ? a : allOf(a, b));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    // a schema with additionalProperties false closes its object to its own names: names only the others declare go
    private static JsonNode restrictToClosedProperties(ObjectNode out, List<JsonNode> parts) {
        for (JsonNode part : parts) {
            JsonNode ap = part.get("additionalProperties");
            if (ap == null || !ap.isBoolean() || ap.asBoolean() || part.has("patternProperties")) {
                continue;
            }
            Set<String> own = new LinkedHashSet<>();
            if (part.get("properties") != null) {
                part.get("properties").fieldNames().forEachRemaining(own::add);
            }
            if (out.get("properties") instanceof ObjectNode props) {
                props.retain(own);
            }
            if (out.get("required") != null) {
                for (JsonNode r : out.get("required")) {
                    if (!own.contains(r.asText())) {
                        return F.booleanNode(false); // required by one, forbidden by another
                    }
                }
            }
        }
        return out;
    }

    static Set<String> types(JsonNode type) {
        Set<String> out = new LinkedHashSet<>();
        if (type.isTextual()) {
            out.add(type.asText());
        } else {
            type.forEach(t -> out.add(t.asText()));
        }
        return out;
    }

    private static JsonNode allOf(JsonNode a, JsonNode b) {
        ObjectNode n = F.objectNode();
        n.putArray("allOf").add(a).add(b);
        return n;
    }
}
