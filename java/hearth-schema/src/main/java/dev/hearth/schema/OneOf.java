package dev.hearth.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code oneOf} asks for exactly one matching alternative, which a grammar can promise only when no value can match
 * two of them: alternatives of different types, alternatives that are disjoint lists of values, or objects told
 * apart by a required property whose const/enum values differ (a tagged union).
 */
final class OneOf {
    private static final Set<String> ALL = Set.of("null", "boolean", "object", "array", "number", "integer", "string");

    private OneOf() {
    }

    static void checkDisjoint(JsonNode branches, String ptr, UnaryOperator<JsonNode> resolve) {
        List<JsonNode> bs = new ArrayList<>();
        branches.forEach(b -> bs.add(resolve.apply(b)));
        if (pairwiseDisjoint(bs.stream().map(OneOf::types).toList())) {
            return;
        }
        if (bs.stream().allMatch(b -> b.has("enum") || b.has("const"))
                && pairwiseDisjoint(bs.stream().map(OneOf::values).toList())) {
            return;
        }
        if (bs.stream().allMatch(b -> b.isObject() && b.get("properties") != null)) {
            for (var it = bs.getFirst().get("properties").fieldNames(); it.hasNext(); ) {
                String p = it.next();
                List<Set<String>> tags = new ArrayList<>();
                for (JsonNode b : bs) {
                    JsonNode prop = resolve.apply(b.get("properties").get(p) == null ? b : b.get("properties").get(p));
                    boolean required = b.has("required") && b.get("required").toString().contains("\"" + p + "\"");
                    if (b.get("properties").get(p) == null || !required || !(prop.has("const") || prop.has("enum"))) {
                        tags = null;
                        break;
                    }
                    tags.add(values(prop));
                }
                if (tags != null && pairwiseDisjoint(tags)) {
                    return;
                }
            }
        }
        throw new UnenforceableSchemaException("oneOf", ptr, "its alternatives can match the same value, so a grammar"
                + " cannot promise that exactly one matches; make them distinct (different types, or a required"
                + " property with a different const in each), or use anyOf, or ask for lenient mode");
    }

    private static boolean pairwiseDisjoint(List<Set<String>> sets) {
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                Set<String> common = new HashSet<>(sets.get(i));
                common.retainAll(sets.get(j));
                if (!common.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    // the JSON types a schema can match ("number" covers "integer": both names stand in the set)
    private static Set<String> types(JsonNode b) {
        if (b.isBoolean()) {
            return b.asBoolean() ? ALL : Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (b.has("enum") || b.has("const")) {
            (b.has("const") ? List.of(b.get("const")) : iterable(b.get("enum"))).forEach(v -> out.addAll(typeOf(v)));
            return out;
        }
        if (!b.has("type")) {
            return ALL;
        }
        for (String t : SchemaMerge.types(b.get("type"))) {
            out.add(t);
            if (t.equals("number")) {
                out.add("integer");
            }
        }
        return out;
    }

    private static Set<String> typeOf(JsonNode v) {
        return switch (v.getNodeType()) {
            case NUMBER -> v.canConvertToExactIntegral() ? Set.of("integer", "number") : Set.of("number");
            case STRING -> Set.of("string");
            case BOOLEAN -> Set.of("boolean");
            case ARRAY -> Set.of("array");
            case OBJECT -> Set.of("object");
            default -> Set.of("null");
        };
    }

    // values as canonical text (numbers by value)
    private static Set<String> values(JsonNode b) {
        Set<String> out = new HashSet<>();
        (b.has("const") ? List.of(b.get("const")) : iterable(b.get("enum"))).forEach(v ->
                out.add(v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : v.toString()));
        return out;
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) {
            array.forEach(out::add);
        }
        return out;
    }
}
