package dev.hearth.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks answers against a JSON schema, independently of the grammar that produced them (networknt's validator,
 * JSON Schema 2020-12, formats asserted). Answers are parsed strictly: one JSON value, no repeated keys. Schemas may
 * only refer inside themselves ({@code $ref} to a fragment): nothing is ever fetched. Immutable and thread-safe.
 */
public final class SchemaValidator {
    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    private final JsonSchema schema;

    private SchemaValidator(JsonSchema schema) {
        this.schema = schema;
    }

    // compiled once per schema text: every answer to a request with a schema is checked, often with the same schema
    private static final int CACHED = 256;
    private static final java.util.Map<String, SchemaValidator> COMPILED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, SchemaValidator> eldest) {
                    return size() > CACHED;
                }
            });

    /**
     * A validator for a schema given as JSON text (compiled once per text, the last 256 kept); a schema that is not
     * JSON, or refers outside itself, is refused.
     */
    public static SchemaValidator of(String schemaJson) {
        SchemaValidator known = COMPILED.get(schemaJson);
        if (known == null) {
            known = of(JsonSchemaGrammar.parse(schemaJson));
            COMPILED.put(schemaJson, known);
        }
        return known;
    }

    public static SchemaValidator of(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        checkRefs(copy, "#");
        checkPatterns(copy, "#");
        if (copy instanceof ObjectNode o) {
            o.remove("$schema"); // always 2020-12: a meta-schema URI is never resolved, let alone fetched
        }
        try {
            return new SchemaValidator(FACTORY.getSchema(copy, CONFIG));
        } catch (com.networknt.schema.JsonSchemaException e) {
            throw new UnenforceableSchemaException("", "#", "the schema cannot be read as JSON Schema 2020-12: "
                    + e.getMessage());
        }
    }

    /**
     * Every {@code pattern} and {@code patternProperties} key must be a regular expression: the validator compiles
     * them only when it first meets a value to check, which is after the model has answered.
     */
    private static void checkPatterns(JsonNode node, String pointer) {
        if (node.isObject()) {
            JsonNode pattern = node.get("pattern");
            if (pattern != null && pattern.isTextual()) {
                regex(pattern.asText(), "pattern", pointer);
            }
            JsonNode keyed = node.get("patternProperties");
            if (keyed != null && keyed.isObject()) {
                keyed.fieldNames().forEachRemaining(k -> regex(k, "patternProperties", pointer));
            }
            node.properties().forEach(e -> checkPatterns(e.getValue(), pointer + "/"
                    + JsonSchemaGrammar.escapePointer(e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkPatterns(node.get(i), pointer + "/" + i);
            }
        }
    }

    private static void regex(String pattern, String keyword, String pointer) {
        try {
            java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new UnenforceableSchemaException(keyword, pointer, "\"" + pattern + "\" is not a regular expression ("
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /** What is wrong with an answer ("" entries never; empty when it is valid). */
    public List<String> violations(String answer) {
        JsonNode instance;
        try {
            instance = STRICT.readTree(answer.strip());
        } catch (JsonProcessingException e) {
            return List.of("the answer is not one valid JSON value: " + e.getOriginalMessage());
        }
        if (instance == null || instance.isMissingNode()) {
            return List.of("the answer is empty");
        }
        return violations(instance);
    }

    public List<String> violations(JsonNode instance) {
        List<String> out = new ArrayList<>();
        schema.validate(instance).stream().sorted(Comparator.comparing(ValidationMessage::getMessage))
                .forEach(m -> out.add(m.getMessage()));
        return List.copyOf(out);
    }

    /** Throws {@link InvalidAnswerException} naming every violation when the answer does not validate. */
    public void check(String answer) {
        List<String> problems = violations(answer);
        if (!problems.isEmpty()) {
            throw new InvalidAnswerException(problems);
        }
    }

    private static void checkRefs(JsonNode node, String pointer) {
        if (node.isObject()) {
            for (String key : new String[] {"$ref", "$dynamicRef"}) {
                JsonNode ref = node.get(key);
                if (ref != null && (!ref.isTextual() || !ref.asText().startsWith("#"))) {
                    throw new UnenforceableSchemaException(key, pointer, "only references inside the schema (\"#...\")"
                            + " are followed; inline " + ref + " into the schema's $defs");
                }
            }
            node.properties().forEach(e -> checkRefs(e.getValue(), pointer + "/" + JsonSchemaGrammar.escapePointer(e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkRefs(node.get(i), pointer + "/" + i);
            }
        }
    }
}
