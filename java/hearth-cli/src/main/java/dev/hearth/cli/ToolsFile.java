package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads tools from a JSON file (OpenAI's format, or bare function objects) and prints tool calls as JSON. */
final class ToolsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolsFile() {
    }

    static List<Tool> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(InputFile.text(file, "--tools"));
        } catch (IOException e) {
            throw new IllegalArgumentException("--tools " + file + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + " must hold a JSON array of tools, e.g. [{\"type\": \"function\","
                    + " \"function\": {\"name\": \"...\", \"description\": \"...\", \"parameters\": {...}}}]");
        }
        List<Tool> tools = new ArrayList<>();
        for (JsonNode t : root) {
            JsonNode f = t.has("function") ? t.get("function") : t;
            if (!f.hasNonNull("name")) {
                throw new IllegalArgumentException("a tool in " + file + " has no name: " + t);
            }
            tools.add(new Tool(f.get("name").asText(), f.path("description").asText(""),
                    f.has("parameters") ? f.get("parameters").toString() : null));
        }
        return tools;
    }

    static String callsAsJson(List<ToolCall> calls) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode array = out.putArray("tool_calls");
        for (ToolCall c : calls) {
            ObjectNode call = array.addObject().put("id", c.id()).put("name", c.name());
            try {
                call.set("arguments", JSON.readTree(c.arguments()));
            } catch (IOException e) {
                call.put("arguments", c.arguments());
            }
        }
        return out.toString();
    }
}
