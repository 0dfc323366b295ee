package dev.hearth.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks on what reaches llama.cpp's recursive Jinja and JSON-schema code, which has no depth limit: a native
 * stack overflow there ends the JVM. Refused: a macro that calls itself outside any if/for block (it can never
 * stop), and JSON (tool parameters, schemas) nested deeper than {@link #MAX_JSON_DEPTH}.
 */
final class TemplateChecks {
    /** Deeper than any real tool schema; far below what the native recursion survives. */
    static final int MAX_JSON_DEPTH = 32;

    private static final Pattern MACRO = Pattern.compile(
            "\\{%-?\\s*macro\\s+(\\w+)\\s*\\(.*?%\\}(.*?)\\{%-?\\s*endmacro\\s*-?%\\}", Pattern.DOTALL);
    private static final Pattern GUARDED_BLOCK = Pattern.compile(
            "\\{%-?\\s*(if|for)\\b(?:(?!\\{%-?\\s*(?:if|for)\\b).)*?\\{%-?\\s*end(?:if|for)\\s*-?%\\}", Pattern.DOTALL);

    private TemplateChecks() {
    }

    static void checkTemplate(String source) {
        Matcher m = MACRO.matcher(source);
        while (m.find()) {
            String name = m.group(1);
            String body = m.group(2);
            String previous;
            do { // drop if/for blocks, innermost first: a call inside one may stop
                previous = body;
                body = GUARDED_BLOCK.matcher(body).replaceAll("");
            } while (!body.equals(previous));
            if (Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\(").matcher(body).find()) {
                throw new IllegalArgumentException("the chat template's macro " + name + " calls itself outside any"
                        + " if or for block, so rendering would never end; fix the template or pass an override");
            }
        }
    }

    static void checkDepth(JsonNode node, String what) {
        if (depth(node, 0) > MAX_JSON_DEPTH) {
            throw new IllegalArgumentException(what + " is nested more than " + MAX_JSON_DEPTH
                    + " levels deep; flatten it");
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
}
