package dev.hearth.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.SamplingLimits;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.ChatCompletionRequest;
import dev.hearth.server.openai.Fields;
import dev.hearth.server.openai.Tools;
import dev.hearth.server.openai.Unsupported;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/responses} body, read into Hearth's one chat request. Every field is checked; what Hearth cannot
 * honour is refused naming it ({@link Unsupported}), among them {@code previous_response_id}: Hearth keeps no
 * responses. {@code store} may be left out (OpenAI's default is true, which every SDK leaves unsaid) or false; an
 * explicit true is refused, and each response says {@code "store": false}.
 *
 * @param request  the chat request, its {@code model} as the client named it
 * @param stream   answer as typed server-sent events
 * @param echo     the request's settings as the response object repeats them ({@code instructions}, {@code tools},
 *                 {@code tool_choice}, {@code text}, sampling, ...)
 */
public record ResponsesRequest(ChatRequest request, boolean stream, ObjectNode echo) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "parallel_tool_calls", "text", "max_output_tokens", "temperature", "top_p", "stream", "store", "metadata",
            "user", "reasoning", "truncation", "previous_response_id", "conversation", "background", "include",
            "top_logprobs", "safety_identifier", "prompt_cache_key", "service_tier",
            dev.hearth.server.openai.Speculations.FIELD);

    public static ResponsesRequest read(JsonNode body) {
        Fields f = Fields.of(body, "");
        f.only(FIELDS, "a Responses API request");
        Unsupported.refuse(f);
        String model = f.requiredString("model").strip();
        if (model.isEmpty()) {
            throw new BadRequest("model", "model is empty; name a model (GET /v1/models lists them) or send \"auto\""
                    + " for the router to choose");
        }
        List<ChatMessage> messages = new ArrayList<>();
        String instructions = f.string("instructions");
        if (instructions != null && !instructions.isEmpty()) {
            messages.add(ChatMessage.system(instructions));
        }
        messages.addAll(InputItems.read(f.get("input")));
        ChatRequest request = dev.hearth.server.openai.Speculations.read(f,
                ChatCompletionRequest.sampling(f, ChatRequest.of(model, messages)));
        Long max = f.integer("max_output_tokens");
        if (max != null) {
            if (max < 1 || max > SamplingLimits.MAX_TOKENS) {
                throw new BadRequest("max_output_tokens", "max_output_tokens must be from 1 to "
                        + SamplingLimits.MAX_TOKENS + ", not " + max);
            }
            request = request.withMaxTokens(max.intValue());
        }
        List<Tool> tools = tools(f.array("tools"));
        ToolChoice choice = choice(f.get("tool_choice"), tools);
        if (!tools.isEmpty() || choice != ToolChoice.AUTO) {
            request = request.withTools(tools, choice);
        }
        Fields text = f.object("text");
        request = request.withResponseFormat(format(text)).withThinking(thinking(f.object("reasoning")));
        String truncation = f.string("truncation");
        if (truncation != null && !truncation.equals("disabled")) {
            throw new BadRequest("truncation", "truncation must be \"disabled\": Hearth never drops parts of the"
                    + " conversation; an input too long for the model is refused");
        }
        f.bool("parallel_tool_calls");
        f.object("metadata");
        for (String s : List.of("user", "safety_identifier", "prompt_cache_key", "service_tier")) {
            f.string(s);
        }
        return new ResponsesRequest(request, Boolean.TRUE.equals(f.bool("stream")), echo(f));
    }

    /** Function tools in the Responses API's flat shape. */
    private static List<Tool> tools(JsonNode tools) {
        if (tools == null) {
            return List.of();
        }
        if (tools.size() > Tools.MAX_TOOLS) {
            throw new BadRequest("tools", "tools has " + tools.size() + " entries; send at most " + Tools.MAX_TOOLS);
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            Fields t = Fields.of(tools.get(i), "tools[" + i + "]");
            String type = t.requiredString("type");
            if (!type.equals("function")) {
                throw new BadRequest(t.at("type"), t.at("type") + " is \"" + type + "\"; Hearth runs no hosted tools"
                        + " (web search, file search, code interpreter, ...): declare functions ({\"type\":"
                        + " \"function\", \"name\", \"parameters\"}) and run them yourself");
            }
            t.only(Set.of("type", "name", "description", "parameters", "strict"), t.path());
            out.add(Tools.function(t));
        }
        return out;
    }

    private static ToolChoice choice(JsonNode choice, List<Tool> tools) {
        if (choice == null) {
            return ToolChoice.AUTO;
        }
        if (choice.isTextual()) {
            return Tools.mode(choice.textValue(), tools, "{\"type\": \"function\", \"name\": ...}");
        }
        Fields f = Fields.of(choice, "tool_choice");
        f.only(Set.of("type", "name"), "tool_choice");
        if (!"function".equals(f.requiredString("type"))) {
            throw new BadRequest("tool_choice.type", "tool_choice must be auto, none, required or {\"type\":"
                    + " \"function\", \"name\": ...}; Hearth runs no hosted tools");
        }
        return Tools.named(f.requiredString("name"), tools);
    }

    private static ResponseFormat format(Fields text) {
        if (text == null) {
            return ResponseFormat.TEXT;
        }
        text.only(Set.of("format", "verbosity"), "text");
        String verbosity = text.string("verbosity");
        if (verbosity != null && !verbosity.equals("medium")) {
            throw new BadRequest("text.verbosity", "text.verbosity \"" + verbosity + "\" is not supported: Hearth"
                    + " cannot steer how much a model writes; leave it out (or send \"medium\") and say so in the"
                    + " instructions");
        }
        Fields format = text.object("format");
        if (format == null) {
            return ResponseFormat.TEXT;
        }
        String type = format.requiredString("type");
        return switch (type) {
            case "text" -> {
                format.only(Set.of("type"), format.path());
                yield ResponseFormat.TEXT;
            }
            case "json_object" -> {
                format.only(Set.of("type"), format.path());
                yield ResponseFormat.JSON_OBJECT;
            }
            case "json_schema" -> {
                format.only(Set.of("type", "name", "description", "schema", "strict"), format.path());
                format.requiredString("name");
                yield ChatCompletionRequest.jsonSchema(format);
            }
            default -> throw new BadRequest(format.at("type"), format.at("type") + " must be text, json_object or"
                    + " json_schema, not \"" + type + "\"");
        };
    }

    /** {@code reasoning.effort}: {@code none} turns a reasoning model's thinking off, any other effort on. */
    private static Thinking thinking(Fields reasoning) {
        if (reasoning == null) {
            return Thinking.DEFAULT;
        }
        reasoning.only(Set.of("effort", "summary", "generate_summary"), "reasoning");
        reasoning.string("summary");
        reasoning.string("generate_summary");
        String effort = reasoning.string("effort");
        if (effort == null) {
            return Thinking.DEFAULT;
        }
        return switch (effort) {
            case "none" -> Thinking.OFF;
            case "minimal", "low", "medium", "high", "xhigh" -> Thinking.ON_DEFAULT;
            default -> throw new BadRequest("reasoning.effort", "reasoning.effort must be none, minimal, low,"
                    + " medium, high or xhigh, not \"" + effort + "\"");
        };
    }

    /** What the response object repeats of the request, as the client sent it (or OpenAI's defaults). */
    private static ObjectNode echo(Fields f) {
        ObjectNode out = JSON.objectNode();
        copy(f, out, "instructions");
        copy(f, out, "max_output_tokens");
        out.put("parallel_tool_calls", !Boolean.FALSE.equals(f.bool("parallel_tool_calls")));
        copy(f, out, "temperature");
        copy(f, out, "top_p");
        out.set("tool_choice", f.has("tool_choice") ? f.get("tool_choice") : JSON.textNode("auto"));
        out.set("tools", f.has("tools") ? f.get("tools") : JSON.arrayNode());
        ObjectNode text = JSON.objectNode();
        Fields sent = f.object("text");
        text.set("format", sent != null && sent.has("format") ? sent.get("format")
                : JSON.objectNode().put("type", "text"));
        out.set("text", text);
        ObjectNode reasoning = out.putObject("reasoning");
        reasoning.set("effort", f.has("reasoning") && f.get("reasoning").has("effort")
                ? f.get("reasoning").get("effort") : JSON.nullNode());
        reasoning.putNull("summary");
        out.set("metadata", f.has("metadata") ? f.get("metadata") : JSON.objectNode());
        out.put("truncation", "disabled");
        out.put("store", false);
        out.putNull("previous_response_id");
        return out;
    }

    private static void copy(Fields f, ObjectNode out, String field) {
        out.set(field, f.has(field) ? f.get(field) : JSON.nullNode());
    }
}
