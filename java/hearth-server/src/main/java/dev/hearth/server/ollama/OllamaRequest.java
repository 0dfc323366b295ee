package dev.hearth.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import dev.hearth.server.openai.Speculations;
import dev.hearth.server.openai.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An {@code /api/chat} or {@code /api/generate} body (Ollama's), read into Hearth's one chat request. Ollama streams
 * unless told {@code "stream": false}. {@code options} go through {@link Options}; {@code format} ({@code "json"} or a
 * JSON schema) becomes the response format; {@code think} turns reasoning on or off. Every field is checked and named
 * when refused.
 *
 * @param request    the chat request, its {@code model} as the client named it (a {@code :latest} tag dropped)
 * @param stream     answer as JSON lines, one object per delta, the last with {@code "done": true}
 * @param keepAlive  the client's {@code keep_alive} (checked; see {@link KeepAlive})
 * @param ignored    the {@code options} Hearth read but does not apply, for the {@code x-hearth-ignored-options} header
 * @param load       no prompt or no messages: Ollama's way to load (or unload) a model, answered without generating
 */
public record OllamaRequest(ChatRequest request, boolean stream, KeepAlive keepAlive, List<String> ignored,
        boolean load) {
    private static final Set<String> CHAT = Set.of("model", "messages", "tools", "format", "options", "stream",
            "keep_alive", "think", Speculations.FIELD);
    private static final Set<String> GENERATE = Set.of("model", "prompt", "system", "format", "options", "stream",
            "keep_alive", "think", "raw", "suffix", "template", "context", "images", Speculations.FIELD);

    /** {@code POST /api/chat}; no messages is Ollama's load (or, with a zero keep-alive, unload). */
    public static OllamaRequest chat(JsonNode body) {
        Fields f = Fields.of(body, "");
        f.only(CHAT, "an Ollama chat request");
        String model = model(f);
        JsonNode given = f.array("messages");
        boolean load = given == null || given.isEmpty();
        List<ChatMessage> messages = load ? List.of(ChatMessage.user("")) : OllamaMessages.read(given);
        ChatRequest request = ChatRequest.of(model, messages);
        List<Tool> tools = Tools.read(f.array("tools"));
        if (!tools.isEmpty()) {
            request = request.withTools(tools, ToolChoice.AUTO);
        }
        return common(f, request, load);
    }

    /** {@code POST /api/generate}: the prompt as one user message after the {@code system} prompt, if any. */
    public static OllamaRequest generate(JsonNode body) {
        Fields f = Fields.of(body, "");
        f.only(GENERATE, "an Ollama generate request");
        String model = model(f);
        if (Boolean.TRUE.equals(f.bool("raw"))) {
            throw new BadRequest("raw", "raw prompts are not served over HTTP: every request goes through the model's"
                    + " chat template and the router; leave raw out (bin/hearth generate completes raw prompts)");
        }
        for (String field : List.of("suffix", "template", "context")) {
            if (f.has(field)) {
                throw new BadRequest(field, field + " is not supported by Hearth's generate endpoint; leave it out");
            }
        }
        JsonNode images = f.array("images");
        if (images != null && !images.isEmpty()) {
            throw new BadRequest("images", "Hearth reads text only (no images yet); leave images out");
        }
        String prompt = f.string("prompt");
        String system = f.string("system");
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null && !system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        boolean load = prompt == null || prompt.isEmpty();
        messages.add(ChatMessage.user(load ? "" : prompt));
        return common(f, ChatRequest.of(model, messages), load);
    }

    private static String model(Fields f) {
        String model = f.requiredString("model").strip();
        if (model.isEmpty()) {
            throw new BadRequest("model", "model is empty; name a model (GET /api/tags lists them) or \"auto\"");
        }
        return model.endsWith(":latest") ? model.substring(0, model.length() - ":latest".length()) : model;
    }

    private static OllamaRequest common(Fields f, ChatRequest request, boolean load) {
        Options.Read options = Options.read(f.object("options"), request);
        ChatRequest out = Speculations.read(f, options.request().withResponseFormat(format(f))
                .withThinking(think(f)));
        boolean stream = !Boolean.FALSE.equals(f.bool("stream"));
        return new OllamaRequest(out, stream, KeepAlive.read(f), options.ignored(), load);
    }

    private static ResponseFormat format(Fields f) {
        JsonNode format = f.get("format");
        if (format == null) {
            return ResponseFormat.TEXT;
        }
        if (format.isTextual()) {
            return switch (format.textValue()) {
                case "" -> ResponseFormat.TEXT;
                case "json" -> ResponseFormat.JSON_OBJECT;
                default -> throw new BadRequest("format", "format must be \"json\" or a JSON schema object, not \""
                        + format.textValue() + "\"");
            };
        }
        if (!format.isObject()) {
            throw f.wrongType("format", "\"json\" or a JSON schema object", format);
        }
        return ResponseFormat.jsonSchema("response", format.toString(), true);
    }

    private static Thinking think(Fields f) {
        JsonNode think = f.get("think");
        if (think == null) {
            return Thinking.DEFAULT;
        }
        if (think.isBoolean()) {
            return think.booleanValue() ? Thinking.ON_DEFAULT : Thinking.OFF;
        }
        if (think.isTextual() && Set.of("high", "medium", "low").contains(think.textValue())) {
            return Thinking.ON_DEFAULT; // a level is a request to reason; the model's own default budget applies
        }
        throw f.wrongType("think", "true, false, \"high\", \"medium\" or \"low\"", think);
    }
}
