package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's {@code tools} (functions) and {@code tool_choice}, read into the one chat model. The rules a function and a
 * choice follow are the same in chat completions and in the Responses API, whose shapes are flatter; both read them
 * here.
 */
public final class Tools {
    /** The most tools one request may declare. */
    public static final int MAX_TOOLS = 128;

    private Tools() {
    }

    public static List<Tool> read(JsonNode tools) {
        if (tools == null) {
            return List.of();
        }
        if (tools.size() > MAX_TOOLS) {
            throw new BadRequest("tools", "tools has " + tools.size() + " entries; send at most " + MAX_TOOLS);
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            Fields t = Fields.of(tools.get(i), "tools[" + i + "]");
            t.only(Set.of("type", "function"), t.path());
            String type = t.requiredString("type");
            if (!type.equals("function")) {
                throw new BadRequest(t.at("type"), t.at("type") + " must be \"function\", not \"" + type + "\"");
            }
            Fields fn = t.object("function");
            if (fn == null) {
                throw new BadRequest(t.at("function"), t.at("function") + " is required: {\"name\", \"description\","
                        + " \"parameters\"}");
            }
            fn.only(Set.of("name", "description", "parameters", "strict"), fn.path());
            out.add(function(fn));
        }
        return out;
    }

    /** A function's {@code name}, {@code description}, {@code parameters} and {@code strict}, wherever they sit. */
    public static Tool function(Fields fn) {
        String name = fn.requiredString("name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new BadRequest(fn.at("name"), fn.at("name") + " must be 1 to 64 letters, digits, _ or -, not \""
                    + name + "\"");
        }
        Fields parameters = fn.object("parameters");
        fn.bool("strict");
        return new Tool(name, fn.string("description"), parameters == null ? null : parameters.node().toString());
    }

    /** {@code auto}, {@code none} or {@code required}; {@code shapes} says what else the field may be. */
    public static ToolChoice mode(String text, List<Tool> tools, String shapes) {
        ToolChoice c = switch (text) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "required" -> ToolChoice.REQUIRED;
            default -> throw new BadRequest("tool_choice", "tool_choice must be auto, none, required or " + shapes
                    + ", not \"" + text + "\"");
        };
        if (c == ToolChoice.REQUIRED && tools.isEmpty()) {
            throw new BadRequest("tool_choice", "tool_choice is required but no tools were given; add tools");
        }
        return c;
    }

    /** A choice naming one function, which must be among the tools. */
    public static ToolChoice named(String name, List<Tool> tools) {
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new BadRequest("tool_choice.name", "tool_choice names \"" + name + "\", which is not among the"
                    + " tools; name one of " + tools.stream().map(Tool::name).toList());
        }
        return ToolChoice.named(name);
    }

    public static ToolChoice choice(JsonNode choice, List<Tool> tools) {
        if (choice == null) {
            return ToolChoice.AUTO;
        }
        if (choice.isTextual()) {
            return mode(choice.textValue(), tools, "{\"type\": \"function\", \"function\": {\"name\": ...}}");
        }
        Fields f = Fields.of(choice, "tool_choice");
        f.only(Set.of("type", "function"), "tool_choice");
        Fields fn = f.object("function");
        if (!"function".equals(f.requiredString("type")) || fn == null) {
            throw new BadRequest("tool_choice", "tool_choice must be {\"type\": \"function\", \"function\":"
                    + " {\"name\": ...}} to name a tool");
        }
        try {
            return named(fn.requiredString("name"), tools);
        } catch (BadRequest unknown) {
            throw new BadRequest("tool_choice.function.name", unknown.getMessage());
        }
    }
}
