package dev.hearth.llama;

import static dev.hearth.llama.internal.Budgets.MAX_JSON_DEPTH;
import static dev.hearth.llama.internal.Budgets.MAX_OPTIONAL_PROPERTIES;
import static dev.hearth.llama.internal.Budgets.MAX_SCHEMA_CHARS;
import static dev.hearth.llama.internal.Budgets.MAX_SCHEMA_DEPTH;
import static dev.hearth.llama.internal.Budgets.MAX_SCHEMA_NAME_CHARS;
import static dev.hearth.llama.internal.Budgets.MAX_SCHEMA_WALK;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import dev.hearth.api.ToolCall;
import dev.hearth.llama.internal.Nesting;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks on the JSON that reaches llama.cpp's chat library, which recurses on it without a limit (a native stack
 * overflow ends the JVM): schemas (a response format, tools' parameters), and the JSON inside a conversation that the
 * library parses (tool-call arguments, tool results). Every bound is in {@link dev.hearth.llama.internal.Budgets}.
 * Other message content is text to the chat library, and is not checked.
 */
final class JsonChecks {
    private JsonChecks() {
    }

    /** JSON nesting, for what the templates render as it is. */
    static void checkDepth(JsonNode node, String what) {
        if (depth(node, 0) > MAX_JSON_DEPTH) {
            throw new IllegalArgumentException(what + " is nested more than " + MAX_JSON_DEPTH
                    + " levels deep; flatten it");
        }
    }

    /**
     * A JSON schema ({@code json} as given, {@code schema} parsed): its size, its nesting as JSON and with its
     * {@code $ref}s followed, its names and its optional properties.
     */
    static void checkSchema(String json, JsonNode schema, String what) {
        if (json.length() > MAX_SCHEMA_CHARS) {
            throw new IllegalArgumentException(what + " has " + json.length() + " characters; Hearth accepts schemas"
                    + " of up to " + MAX_SCHEMA_CHARS);
        }
        checkDepth(schema, what);
        checkNames(schema, what);
        new RefWalk(schema, what).walk(schema, 0, new HashSet<>());
        new LoopCheck(schema, what).visit(schema, "#");
    }

    /**
     * A schema that reaches itself through {@code $ref}, {@code anyOf}, {@code oneOf} or {@code allOf} before it
     * describes anything becomes a left-recursive grammar, which llama.cpp refuses with an opaque message: refused here
     * with the loop spelled out. (A $ref under properties or items is fine: a bracket comes first.)
     */
    private static final class LoopCheck {
        private final JsonNode root;
        private final String what;
        private final Map<JsonNode, Boolean> done = new IdentityHashMap<>(); // false: on the current path
        private final List<JsonNode> nodes = new java.util.ArrayList<>(); // the current path, and how each was reached
        private final List<String> names = new java.util.ArrayList<>();

        LoopCheck(JsonNode root, String what) {
            this.root = root;
            this.what = what;
        }

        void visit(JsonNode node, String where) {
            Boolean state = done.get(node);
            if (Boolean.TRUE.equals(state)) {
                return;
            }
            if (Boolean.FALSE.equals(state)) {
                int from = 0;
                while (nodes.get(from) != node) {
                    from++;
                }
                List<String> loop = new java.util.ArrayList<>(names.subList(from, names.size()));
                loop.add(where);
                throw new IllegalArgumentException(what + " refers to itself before it describes anything ("
                        + String.join(" -> ", loop) + "), which no grammar can generate: make each $ref in that loop"
                        + " lead to an object, an array or a value first");
            }
            nodes.add(node);
            names.add(where);
            done.put(node, false);
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                JsonNode target = root.at(ref.asText().substring(1));
                if (!target.isMissingNode()) {
                    visit(target, ref.asText());
                }
            }
            for (String keyword : List.of("anyOf", "oneOf", "allOf")) {
                JsonNode options = node.get(keyword);
                if (options != null && options.isArray()) {
                    for (int i = 0; i < options.size(); i++) {
                        visit(options.get(i), where + "/" + keyword + "/" + i);
                    }
                }
            }
            done.put(node, true);
            nodes.removeLast();
            names.removeLast();
        }
    }

    /** The tool-call arguments and tool results of a conversation, which the chat library parses as JSON. */
    static void checkHistory(List<ChatMessage> messages) {
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            for (ToolCall call : m.toolCalls()) {
                checkText(call.arguments(), "the arguments of call " + call.name() + " in message " + (i + 1));
            }
            String content = m.content().strip();
            if (m.role() == Role.TOOL && (content.startsWith("{") || content.startsWith("["))) {
                checkText(content, "the tool result in message " + (i + 1));
            }
        }
    }

    private static void checkText(String json, String what) {
        int depth = Nesting.json(json);
        if (depth > MAX_JSON_DEPTH) {
            throw new IllegalArgumentException(what + ": JSON nested " + depth + " levels deep; Hearth accepts up to "
                    + MAX_JSON_DEPTH + " (llama.cpp's chat templates recurse on it): flatten it");
        }
    }

    private static int depth(JsonNode node, int level) {
        if (level > MAX_JSON_DEPTH) {
            return level;
        }
        int max = level;
        for (JsonNode child : node) {
            max = Math.max(max, depth(child, level + 1));
        }
        return max;
    }

    // Names are walked one character a level (the converter's trie of property names); object sizes bound optionals.
    private static void checkNames(JsonNode node, String what) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().length() > MAX_SCHEMA_NAME_CHARS) {
                    throw new IllegalArgumentException(what + " has a name of " + e.getKey().length()
                            + " characters (" + e.getKey().substring(0, 20) + "...); Hearth accepts names of up to "
                            + MAX_SCHEMA_NAME_CHARS);
                }
            }
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                Set<String> optional = new HashSet<>();
                properties.fieldNames().forEachRemaining(optional::add);
                node.path("required").forEach(r -> optional.remove(r.asText()));
                if (optional.size() > MAX_OPTIONAL_PROPERTIES) {
                    throw new IllegalArgumentException(what + " has an object with " + optional.size()
                            + " optional properties; Hearth accepts up to " + MAX_OPTIONAL_PROPERTIES
                            + " (make some required, or split the object)");
                }
            }
        }
        for (JsonNode child : node) {
            checkNames(child, what);
        }
    }

    /**
     * Follows every path through the schema as the converter can (each {@code $ref} into the document at most once
     * on a path) and measures the deepest. What a subtree reaches is remembered unless a cycle cut it short (then it
     * depends on the path); past {@link dev.hearth.llama.internal.Budgets#MAX_SCHEMA_WALK} steps the schema is
     * refused as too tangled to bound.
     */
    private static final class RefWalk {
        private final JsonNode root;
        private final String what;
        private final Map<JsonNode, Integer> below = new IdentityHashMap<>();
        private int steps;
        private boolean cut;

        RefWalk(JsonNode root, String what) {
            this.root = root;
            this.what = what;
        }

        // The deepest level reached under node, entered at level; `path` holds the refs being followed.
        int walk(JsonNode node, int level, Set<String> path) {
            if (level > MAX_SCHEMA_DEPTH) {
                throw tooDeep();
            }
            if (++steps > MAX_SCHEMA_WALK) {
                throw new IllegalArgumentException(what + " has $refs that branch into more than " + MAX_SCHEMA_WALK
                        + " paths; Hearth cannot bound what llama.cpp's converter would do with it: simplify it");
            }
            Integer known = below.get(node);
            if (known != null) {
                if (level + known > MAX_SCHEMA_DEPTH) {
                    throw tooDeep();
                }
                return level + known;
            }
            boolean cutBefore = cut;
            cut = false;
            int deepest = level;
            for (JsonNode child : node) {
                deepest = Math.max(deepest, walk(child, level + 1, path));
            }
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                String name = ref.asText();
                JsonNode target = resolve(name);
                if (path.contains(name)) {
                    cut = true;
                } else if (target != null) {
                    path.add(name);
                    deepest = Math.max(deepest, walk(target, level + 1, path));
                    path.remove(name);
                }
            }
            if (!cut) {
                below.put(node, deepest - level);
            }
            cut |= cutBefore;
            return deepest;
        }

        private IllegalArgumentException tooDeep() {
            return new IllegalArgumentException(what + " nests more than " + MAX_SCHEMA_DEPTH + " levels deep with its"
                    + " $refs followed; Hearth accepts up to " + MAX_SCHEMA_DEPTH + " (flatten it, or break the chain"
                    + " of $refs)");
        }

        private JsonNode resolve(String ref) {
            JsonNode target = root.at(ref.substring(1));
            return target.isMissingNode() ? null : target;
        }
    }
}
