package dev.hearth.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.SamplingLimits;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import dev.hearth.server.openai.Speculations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/messages} body (Anthropic's Messages API), read into Hearth's one chat request: system as a string
 * or text blocks, content blocks text / tool_use / tool_result / thinking, tools, {@code tool_choice},
 * {@code thinking}, {@code stop_sequences}, {@code output_config.format} (a JSON schema). Every field is checked and
 * named when refused.
 *
 * @param request  the chat request, its {@code model} as the client named it
 * @param stream   answer as Anthropic's server-sent events
 */
public record MessagesRequest(ChatRequest request, boolean stream) {
    private static final Set<String> FIELDS = Set.of("model", "messages", "system", "max_tokens", "tools",
            "tool_choice", "stop_sequences", "temperature", "top_p", "top_k", "stream", "metadata", "thinking",
            "output_config", Speculations.FIELD);

    public static MessagesRequest read(JsonNode body) {
        return read(body, true);
    }

    /**
     * A {@code POST /v1/messages/count_tokens} body: a messages request whose {@code max_tokens} may be left out
     * (nothing is generated), every other field checked the same way.
     */
    public static MessagesRequest forCounting(JsonNode body) {
        return read(body, false);
    }

    private static MessagesRequest read(JsonNode body, boolean generating) {
        Fields f = Fields.of(body, "");
        f.only(FIELDS, generating ? "a messages request" : "a count_tokens request");
        String model = f.requiredString("model");
        if (model.isBlank()) {
            throw new BadRequest("model", "model is empty; name a model (GET /v1/models lists them) or \"auto\"");
        }
        Long maxTokens = f.integer("max_tokens");
        if (maxTokens == null && generating) {
            throw new BadRequest("max_tokens", "max_tokens is required: the most tokens to generate, from 1 to "
                    + SamplingLimits.MAX_TOKENS);
        }
        if (maxTokens != null && (maxTokens < 1 || maxTokens > SamplingLimits.MAX_TOKENS)) {
            throw new BadRequest("max_tokens", "max_tokens must be from 1 to " + SamplingLimits.MAX_TOKENS + ", not "
                    + maxTokens);
        }
        List<ChatMessage> messages = new ArrayList<>(system(f));
        messages.addAll(messages(f.array("messages")));
        ChatRequest request = Speculations.read(f, ChatRequest.of(model.strip(), messages));
        if (maxTokens != null) {
            request = request.withMaxTokens(maxTokens.intValue());
        }
        Double temperature = f.number("temperature");
        if (temperature != null) {
            if (!(temperature >= 0 && temperature <= 1)) {
                throw new BadRequest("temperature", "temperature must be between 0 and 1, not " + temperature);
            }
            request = request.withTemperature(temperature);
        }
        Double topP = f.number("top_p");
        if (topP != null) {
            if (!(topP > 0 && topP <= 1)) {
                throw new BadRequest("top_p", "top_p must be above 0 and at most 1, not " + topP);
            }
            request = request.withTopP(topP);
        }
        if (f.has("top_k")) {
            throw new BadRequest("top_k", "top_k is not supported by Hearth's messages endpoint yet; leave it out");
        }
        request = request.withStop(stops(f));
        List<Tool> tools = tools(f.array("tools"));
        ToolChoice choice = toolChoice(f.object("tool_choice"), tools);
        if (!tools.isEmpty() || choice != ToolChoice.AUTO) {
            request = request.withTools(tools, choice);
        }
        request = request.withThinking(thinking(f.object("thinking")));
        request = request.withResponseFormat(outputFormat(f.object("output_config")));
        f.object("metadata");
        return new MessagesRequest(request, Boolean.TRUE.equals(f.bool("stream")));
    }

    private static List<ChatMessage> system(Fields f) {
        JsonNode system = f.get("system");
        if (system == null) {
            return List.of();
        }
        if (system.isTextual()) {
            return List.of(ChatMessage.system(system.textValue()));
        }
        if (!system.isArray()) {
            throw f.wrongType("system", "a string or an array of text blocks", system);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < system.size(); i++) {
            Fields block = Fields.of(system.get(i), "system[" + i + "]");
            block.only(Set.of("type", "text", "cache_control"), block.path());
            if (!"text".equals(block.requiredString("type"))) {
                throw new BadRequest(block.at("type"), block.at("type") + " must be \"text\"");
            }
            text.append(block.requiredString("text"));
        }
        return List.of(ChatMessage.system(text.toString()));
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || messages.isEmpty()) {
            throw new BadRequest("messages", "messages is required: a non-empty array of {\"role\", \"content\"}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Fields m = Fields.of(messages.get(i), "messages[" + i + "]");
            m.only(Set.of("role", "content"), m.path());
            String role = m.requiredString("role");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw new BadRequest(m.at("role"), m.at("role") + " must be user or assistant, not \"" + role
                        + "\" (the system prompt goes in the top-level \"system\")");
            }
            out.addAll(Blocks.read(m, role.equals("user") ? Role.USER : Role.ASSISTANT));
        }
        return out;
    }

    private static List<String> stops(Fields f) {
        JsonNode stops = f.array("stop_sequences");
        List<String> out = new ArrayList<>();
        if (stops != null) {
            for (int i = 0; i < stops.size(); i++) {
                if (!stops.get(i).isTextual() || stops.get(i).textValue().isEmpty()) {
                    throw new BadRequest("stop_sequences[" + i + "]", "stop_sequences[" + i + "] must be a non-empty"
                            + " string, not " + Fields.kind(stops.get(i)));
                }
                out.add(stops.get(i).textValue());
            }
        }
        return out;
    }

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                Fields t = Fields.of(tools.get(i), "tools[" + i + "]");
                t.only(Set.of("name", "description", "input_schema", "type", "cache_control"), t.path());
                String type = t.string("type");
                if (type != null && !type.equals("custom")) {
                    throw new BadRequest(t.at("type"), t.at("type") + " \"" + type + "\" is a server tool of"
                            + " Anthropic's; Hearth runs client tools only (leave type out)");
                }
                Fields schema = t.object("input_schema");
                if (schema == null) {
                    throw new BadRequest(t.at("input_schema"), t.at("input_schema") + " is required: a JSON schema");
                }
                out.add(new Tool(t.requiredString("name"), t.string("description"), schema.node().toString()));
            }
        }
        return out;
    }

    private static ToolChoice toolChoice(Fields f, List<Tool> tools) {
        if (f == null) {
            return ToolChoice.AUTO;
        }
        f.only(Set.of("type", "name", "disable_parallel_tool_use"), "tool_choice");
        String type = f.requiredString("type");
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "any" -> ToolChoice.REQUIRED;
            case "tool" -> {
                String name = f.requiredString("name");
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    throw new BadRequest("tool_choice.name", "tool_choice names \"" + name + "\", which is not"
                            + " among the tools");
                }
                yield ToolChoice.named(name);
            }
            default -> throw new BadRequest("tool_choice.type", "tool_choice.type must be auto, any, tool or none,"
                    + " not \"" + type + "\"");
        };
    }

    /** {@code output_config.format}: {@code {"type": "json_schema", "schema": {...}}} (structured outputs). */
    private static ResponseFormat outputFormat(Fields f) {
        if (f == null) {
            return ResponseFormat.TEXT;
        }
        f.only(Set.of("format", "effort"), "output_config");
        if (f.string("effort") != null) {
            throw new BadRequest("output_config.effort", "output_config.effort is not supported by Hearth yet; leave"
                    + " it out");
        }
        Fields format = f.object("format");
        if (format == null) {
            return ResponseFormat.TEXT;
        }
        format.only(Set.of("type", "schema"), "output_config.format");
        String type = format.requiredString("type");
        if (!type.equals("json_schema")) {
            throw new BadRequest("output_config.format.type", "output_config.format.type must be \"json_schema\", not"
                    + " \"" + type + "\"");
        }
        Fields schema = format.object("schema");
        if (schema == null) {
            throw new BadRequest("output_config.format.schema", "output_config.format.schema is required: a JSON"
                    + " schema object");
        }
        return ResponseFormat.jsonSchema("response", schema.node().toString(), true);
    }

    private static Thinking thinking(Fields f) {
        if (f == null) {
            return Thinking.DEFAULT;
        }
        f.only(Set.of("type", "budget_tokens"), "thinking");
        return switch (f.requiredString("type")) {
            case "disabled" -> Thinking.OFF;
            case "enabled" -> {
                Long budget = f.integer("budget_tokens");
                if (budget == null || budget < 1 || budget > SamplingLimits.MAX_TOKENS) {
                    throw new BadRequest("thinking.budget_tokens", "thinking.budget_tokens must be from 1 to "
                            + SamplingLimits.MAX_TOKENS + " when thinking is enabled");
                }
                yield Thinking.on(budget.intValue());
            }
            default -> throw new BadRequest("thinking.type", "thinking.type must be enabled or disabled");
        };
    }

    /** Content blocks of one message, as the one chat model's messages (tool results become tool messages). */
    static final class Blocks {
        private Blocks() {
        }

        static List<ChatMessage> read(Fields m, Role role) {
            JsonNode content = m.get("content");
            if (content == null) {
                throw new BadRequest(m.at("content"), m.at("content") + " is required: a string or content blocks");
            }
            if (content.isTextual()) {
                return List.of(new ChatMessage(role, content.textValue()));
            }
            if (!content.isArray()) {
                throw m.wrongType("content", "a string or an array of content blocks", content);
            }
            List<ChatMessage> out = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            StringBuilder reasoning = new StringBuilder();
            String signature = "";
            List<ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < content.size(); i++) {
                Fields b = Fields.of(content.get(i), m.at("content") + "[" + i + "]");
                String type = b.requiredString("type");
                switch (type) {
                    case "text" -> text.append(b.requiredString("text"));
                    case "thinking" -> {
                        reasoning.append(b.requiredString("thinking"));
                        signature = b.string("signature") == null ? "" : b.string("signature");
                    }
                    case "tool_use" -> {
                        requireRole(b, role, Role.ASSISTANT, type);
                        Fields input = b.object("input");
                        calls.add(new ToolCall(b.requiredString("id"), b.requiredString("name"),
                                input == null ? "{}" : input.node().toString()));
                    }
                    case "tool_result" -> {
                        requireRole(b, role, Role.USER, type);
                        out.add(ChatMessage.tool(b.requiredString("tool_use_id"), toolResult(b)));
                    }
                    default -> throw new BadRequest(b.at("type"), b.at("type") + " is \"" + type + "\", but Hearth"
                            + " reads text, thinking, tool_use and tool_result blocks only (no images or documents"
                            + " yet)");
                }
            }
            if (role == Role.ASSISTANT) {
                out.add(new ChatMessage(role, text.toString(), reasoning.toString(), calls, "", signature));
            } else if (!text.isEmpty() || out.isEmpty()) {
                out.add(new ChatMessage(role, text.toString()));
            }
            return out;
        }

        private static void requireRole(Fields b, Role role, Role needed, String type) {
            if (role != needed) {
                throw new BadRequest(b.at("type"), "a " + type + " block belongs in a" + (needed == Role.USER ? " user"
                        : "n assistant") + " message");
            }
        }

        private static String toolResult(Fields b) {
            JsonNode c = b.get("content");
            if (c == null) {
                return "";
            }
            if (c.isTextual()) {
                return c.textValue();
            }
            if (!c.isArray()) {
                throw b.wrongType("content", "a string or text blocks", c);
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                Fields part = Fields.of(c.get(i), b.at("content") + "[" + i + "]");
                if (!"text".equals(part.requiredString("type"))) {
                    throw new BadRequest(part.at("type"), part.at("type") + " must be \"text\" in a tool result");
                }
                text.append(part.requiredString("text"));
            }
            return text.toString();
        }
    }
}
