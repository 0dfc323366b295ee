package dev.hearth.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON schema as Claude's structured outputs take it: every object closed ({@code additionalProperties: false},
 * which narrows what a valid answer may be, never widens it), and the constraints the API does not enforce removed
 * (numeric bounds, string lengths, array sizes other than {@code minItems} 0 or 1, property counts), since it refuses a
 * schema that carries them. An answer can then break a removed constraint: validate it against the original schema
 * (the router's structured output does). A map ({@code additionalProperties} given as a schema) cannot be expressed
 * and is refused, naming where it is.
 */
final class StrictSchema {
    private static final Logger LOG = LoggerFactory.getLogger(StrictSchema.class);
    private static final Set<String> UNENFORCED = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minLength", "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties");
    private static final List<String> NESTED_ONE = List.of("items", "not", "additionalItems", "contains");
    private static final List<String> NESTED_LIST = List.of("anyOf", "allOf", "oneOf", "prefixItems");
    private static final List<String> NESTED_MAP = List.of("properties", "$defs", "definitions", "patternProperties");

    private StrictSchema() {
    }

    /** A strict copy of {@code schema}; {@code schema} itself is not changed. */
    static JsonNode forAnthropic(JsonNode schema) {
        if (!schema.isObject()) {
            throw new IllegalArgumentException("a response schema must be a JSON object, not " + schema.getNodeType());
        }
        JsonNode copy = schema.deepCopy();
        List<String> removed = new ArrayList<>();
        walk(copy, "#", removed);
        if (!removed.isEmpty()) {
            LOG.debug("Claude does not enforce {}: validate the answer against the original schema", removed);
        }
        return copy;
    }

    private static void walk(JsonNode node, String path, List<String> removed) {
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        for (String k : UNENFORCED) {
            if (o.has(k)) {
                removed.add(path + "/" + k);
                o.remove(k);
            }
        }
        if (o.path("minItems").asInt(0) > 1) {
            removed.add(path + "/minItems");
            o.remove("minItems");
        }
        JsonNode extra = o.get("additionalProperties");
        if (extra != null && extra.isObject() && !o.has("properties")) {
            throw new IllegalArgumentException("Claude's structured outputs cannot express a map (additionalProperties"
                    + " as a schema) at " + path + "; give the object fixed properties, or send the request to a model"
                    + " that takes any schema (a local model, DeepSeek, OpenAI)");
        }
        boolean isObject = "object".equals(o.path("type").asText()) || o.has("properties");
        if (isObject && (extra == null || !extra.isBoolean() || extra.asBoolean())) {
            o.put("additionalProperties", false);
        }
        for (String k : NESTED_ONE) {
            walk(o.get(k), path + "/" + k, removed);
        }
        for (String k : NESTED_LIST) {
            JsonNode list = o.get(k);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), path + "/" + k + "/" + i, removed);
                }
            }
        }
        for (String k : NESTED_MAP) {
            JsonNode map = o.get(k);
            if (map != null && map.isObject()) {
                for (Map.Entry<String, JsonNode> e : map.properties()) {
                    walk(e.getValue(), path + "/" + k + "/" + e.getKey(), removed);
                }
            }
        }
    }
}
