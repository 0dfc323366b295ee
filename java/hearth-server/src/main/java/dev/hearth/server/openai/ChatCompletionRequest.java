package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.SamplingLimits;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/chat/completions} body, read into Hearth's one chat request. Every field is checked (type, range,
 * known name); a parameter Hearth cannot honour ({@link Unsupported}: {@code n > 1}, {@code logprobs}, audio) is
 * refused naming it, never ignored.
 *
 * @param request       the chat request, its {@code model} as the client named it
 * @param stream        answer as server-sent events
 * @param includeUsage  {@code stream_options.include_usage}: a last chunk with the usage and no choices
 */
public record ChatCompletionRequest(ChatRequest request, boolean stream, boolean includeUsage) {
    /** The most stop sequences one request may give. */
    public static final int MAX_STOPS = 16;

    private static final Set<String> FIELDS = Set.of("model", "messages", "tools", "tool_choice",
            "parallel_tool_calls", "response_format", "stop", "max_tokens", "max_completion_tokens", "temperature",
            "top_p", "seed", "stream", "stream_options", "n", "user", "logprobs", "top_logprobs", "presence_penalty",
            "frequency_penalty", "metadata", "store", "modalities", "audio",
            "hearth_tournament", // the options of model "tournament" (TournamentReplies)
            Speculations.FIELD);

    /** Reads a parsed request body; a {@link BadRequest} names the first field at fault. */
    public static ChatCompletionRequest read(JsonNode body) {
        Fields f = Fields.of(body, "");
        f.only(FIELDS, "a chat completion request");
        Unsupported.refuse(f);
        f.object("metadata");
        String model = f.requiredString("model");
        if (model.isBlank()) {
            throw new BadRequest("model", "model is empty; name a model (GET /v1/models lists them) or send \"auto\""
                    + " for the router to choose");
        }
        List<ChatMessage> messages = Messages.read(f.array("messages"));
        ChatRequest request = ChatRequest.of(model.strip(), messages);
        Integer maxTokens = maxTokens(f);
        if (maxTokens != null) {
            request = request.withMaxTokens(maxTokens);
        }
        request = sampling(f, request);
        request = request.withSeed(f.integer("seed")).withStop(stops(f));
        List<Tool> tools = Tools.read(f.array("tools"));
        ToolChoice choice = Tools.choice(f.get("tool_choice"), tools);
        f.bool("parallel_tool_calls");
        if (!tools.isEmpty() || choice != ToolChoice.AUTO) {
            request = request.withTools(tools, choice);
        }
        request = request.withResponseFormat(responseFormat(f.object("response_format")));
        request = Speculations.read(f, request);
        boolean stream = Boolean.TRUE.equals(f.bool("stream"));
        Fields options = f.object("stream_options");
        boolean includeUsage = false;
        if (options != null) {
            if (!stream) {
                throw new BadRequest("stream_options", "stream_options is only allowed with \"stream\": true");
            }
            options.only(Set.of("include_usage"), "stream_options");
            includeUsage = Boolean.TRUE.equals(options.bool("include_usage"));
        }
        f.string("user");
        return new ChatCompletionRequest(request, stream, includeUsage);
    }

    /** {@code temperature} and {@code top_p}, checked, into {@code request} (the same in every OpenAI route). */
    public static ChatRequest sampling(Fields f, ChatRequest request) {
        Double temperature = f.number("temperature");
        if (temperature != null) {
            request = request.withTemperature(checked("temperature", () -> SamplingLimits.temperature(temperature,
                    "temperature")));
        }
        Double topP = f.number("top_p");
        if (topP != null) {
            request = request.withTopP(checked("top_p", () -> SamplingLimits.topP(topP, "top_p")));
        }
        return request;
    }

    private static Integer maxTokens(Fields f) {
        Long legacy = f.integer("max_tokens");
        Long current = f.integer("max_completion_tokens");
        if (legacy != null && current != null && !legacy.equals(current)) {
            throw new BadRequest("max_completion_tokens", "max_tokens (" + legacy + ") and max_completion_tokens ("
                    + current + ") disagree; send only max_completion_tokens");
        }
        Long n = current != null ? current : legacy;
        String name = current != null ? "max_completion_tokens" : "max_tokens";
        if (n == null) {
            return null;
        }
        if (n < 1 || n > SamplingLimits.MAX_TOKENS) {
            throw new BadRequest(name, name + " must be from 1 to " + SamplingLimits.MAX_TOKENS + ", not " + n);
        }
        return n.intValue();
    }

    private static List<String> stops(Fields f) {
        JsonNode stop = f.get("stop");
        if (stop == null) {
            return List.of();
        }
        if (stop.isTextual()) {
            return stop.textValue().isEmpty() ? List.of() : List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw f.wrongType("stop", "a string or an array of strings", stop);
        }
        if (stop.size() > MAX_STOPS) {
            throw new BadRequest("stop", "stop has " + stop.size() + " sequences; send at most " + MAX_STOPS);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isTextual() || stop.get(i).textValue().isEmpty()) {
                throw new BadRequest("stop[" + i + "]", "stop[" + i + "] must be a non-empty string, not "
                        + Fields.kind(stop.get(i)));
            }
            out.add(stop.get(i).textValue());
        }
        return out;
    }

    private static ResponseFormat responseFormat(Fields f) {
        if (f == null) {
            return ResponseFormat.TEXT;
        }
        f.only(Set.of("type", "json_schema"), "response_format");
        String type = f.requiredString("type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                Fields spec = f.object("json_schema");
                if (spec == null) {
                    throw new BadRequest(f.at("json_schema"), f.at("json_schema") + " is required when type is"
                            + " json_schema: {\"name\": ..., \"schema\": {...}, \"strict\": true}");
                }
                spec.only(Set.of("name", "description", "schema", "strict"), f.at("json_schema"));
                yield jsonSchema(spec);
            }
            default -> throw new BadRequest(f.at("type"), f.at("type") + " must be text, json_object or json_schema,"
                    + " not \"" + type + "\"");
        };
    }

    /** A JSON schema's {@code name}, {@code description}, {@code schema} and {@code strict}, wherever they sit. */
    public static ResponseFormat jsonSchema(Fields spec) {
        Fields schema = spec.object("schema");
        if (schema == null) {
            throw new BadRequest(spec.at("schema"), spec.at("schema") + " is required: a JSON schema object");
        }
        spec.string("description");
        return ResponseFormat.jsonSchema(spec.string("name"), schema.node().toString(),
                Boolean.TRUE.equals(spec.bool("strict")));
    }

    private static double checked(String field, java.util.function.DoubleSupplier check) {
        try {
            return check.getAsDouble();
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field, e.getMessage());
        }
    }
}
