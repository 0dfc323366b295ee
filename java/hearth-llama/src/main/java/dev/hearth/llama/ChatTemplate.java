package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.llama.ffi.HearthNativeC;
import dev.hearth.llama.ffi.NativeCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's chat template, run by llama.cpp's chat library (Jinja, every model family's tool-call and reasoning
 * format, lazy tool-call grammars, the output parser) through libhearth_native. Thread-safe; closed with its
 * model.
 */
public final class ChatTemplate implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private boolean closed;

    /**
     * What rendering produced: the prompt, and what generation and parsing need to follow the format. {@code echo} is
     * what the parser gives back of the generation prompt itself as content (with thinking off, the empty think block
     * some templates write), which {@link #parse} takes off every answer.
     */
    public record Rendered(String prompt, Grammar grammar, boolean templateGrammar, String generationPrompt,
            List<String> preservedTokens, List<String> additionalStops, String format, String parserState,
            String echo) {
    }

    /** One parse of generated text. */
    public record Parsed(String content, String reasoning, List<ToolCall> toolCalls) {
    }

    ChatTemplate(LlamaModel model, String override) {
        TemplateChecks.checkTemplate(override.isEmpty() ? model.chatTemplateSource().orElse("") : override);
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = arena.allocate(ADDRESS);
            MemorySegment source = override.isEmpty() ? MemorySegment.NULL : arena.allocateFrom(override);
            int status = (int) HearthNativeC.hearth_chat_templates_init.invokeExact(model.handle(), source, out, error);
            if (status != 0) {
                String message = String.valueOf(HearthNativeC.takeString(error.get(ADDRESS, 0)));
                arena.close();
                throw new IllegalArgumentException("the chat template cannot be used: " + message.strip()
                        + (override.isEmpty() ? " (the model's own template; pass an override)" : ""));
            }
            handle = out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeCalls.closeAndRethrow(arena, t);
        }
    }

    /** The template's source and capabilities (llama.cpp's view), as JSON. */
    public synchronized JsonNode info() {
        ensureOpen();
        return parseJson(HearthNativeC.call((a, out, error) ->
                (int) HearthNativeC.hearth_chat_templates_info.invokeExact(handle, out, error)));
    }

    /** Renders a conversation with tools, reasoning and JSON schema options. */
    public synchronized Rendered render(List<ChatMessage> messages, ChatOptions options) {
        ensureOpen();
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        String reasoningFormat = options.reasoning() ? "auto" : "none";
        JsonNode r = apply(request(messages, options, reasoningFormat));
        if (!options.reasoning() && options.tools().isEmpty() && thinksAnyway(r)) {
            // a template that opens the thinking block even with thinking off: its model will think, so its
            // reasoning is parsed out of the answer as if thinking were on (not with tools: there the "auto" grammar
            // forces the call inside the open block, where the parser would read it as reasoning)
            reasoningFormat = "auto";
            r = apply(request(messages, options, reasoningFormat));
        }
        boolean templateGrammar = !r.path("grammar").asText().isEmpty();
        Grammar grammar = Grammar.NONE;
        if (templateGrammar) {
            List<String> patterns = new ArrayList<>();
            List<Integer> tokens = new ArrayList<>();
            for (JsonNode t : r.path("grammar_triggers")) {
                String value = t.path("value").asText();
                switch (t.path("type").asInt()) {
                    case 0 -> tokens.add(t.path("token").asInt());
                    case 1 -> patterns.add(regexEscape(value));
                    case 2 -> patterns.add(value);
                    default -> patterns.add(anchored(value));
                }
            }
            boolean lazy = r.path("grammar_lazy").asBoolean() && !(patterns.isEmpty() && tokens.isEmpty());
            grammar = new Grammar(r.path("grammar").asText(), lazy, lazy ? patterns : List.of(), lazy ? tokens : List.of());
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("format_id", r.path("format_id").asInt());
        state.put("generation_prompt", r.path("generation_prompt").asText());
        state.put("parser", r.path("parser").asText());
        state.put("reasoning_format", reasoningFormat);
        state.put("parse_tool_calls", !options.tools().isEmpty() && options.toolChoice() != ToolChoice.NONE);
        String parserState = state.toString();
        return new Rendered(r.path("prompt").asText(), grammar, templateGrammar, r.path("generation_prompt").asText(),
                strings(r.path("preserved_tokens")), strings(r.path("additional_stops")), r.path("format").asText(),
                parserState, reasoningFormat.equals("none") ? echo(parserState) : "");
    }

    /*
     * Reasoning formats: with thinking on, the family's parser takes reasoning out of the answer ("auto"). With it off,
     * "none", so the grammar does not let a forced call wait behind free thinking text; what the parser then echoes of
     * the generation prompt (the empty think block some templates write) is cut from the answer (see echo).
     */
    private JsonNode apply(ObjectNode request) {
        String json = request.toString();
        try {
            return parseJson(HearthNativeC.call((a, out, error) -> (int) HearthNativeC.hearth_chat_apply.invokeExact(
                    handle, a.allocateFrom(json), out, error)));
        } catch (HearthNativeC.ShimException e) {
            throw new IllegalArgumentException("the chat template could not render this conversation: "
                    + e.getMessage().strip(), e);
        }
    }

    /** Whether the generation prompt ends inside an opened thinking block. */
    private static boolean thinksAnyway(JsonNode rendered) {
        String open = rendered.path("thinking_start_tag").asText("");
        return !open.isEmpty() && rendered.path("generation_prompt").asText("").stripTrailing().endsWith(open.strip());
    }

    /** What the parser returns as content for no output at all: the generation prompt's own markers, if any. */
    private static String echo(String parserState) {
        try {
            return parseRaw(parserState, "", false).path("content").asText("");
        } catch (RuntimeException e) {
            return ""; // a parser that refuses an empty answer echoes nothing
        }
    }

    /** Parses generated text into content, reasoning and tool calls; {@code partial} while it is still growing. */
    public Parsed parse(Rendered rendered, String text, boolean partial) {
        JsonNode m = parseRaw(rendered.parserState(), text, partial);
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : m.path("tool_calls")) {
            calls.add(new ToolCall(c.path("id").asText(""), c.path("function").path("name").asText(),
                    partial ? c.path("function").path("arguments").asText("{}")
                            : strictJson(c.path("function").path("arguments").asText("{}"))));
        }
        String content = m.path("content").isTextual() ? m.path("content").asText() : "";
        String echo = rendered.echo();
        if (!echo.isEmpty() && content.startsWith(echo)) {
            content = content.substring(echo.length());
        } else if (!echo.isEmpty() && echo.startsWith(content)) {
            content = ""; // still inside the echo while the answer streams
        }
        return new Parsed(content, m.path("reasoning_content").asText(""), calls);
    }

    private static JsonNode parseRaw(String parserState, String text, boolean partial) {
        String message = HearthNativeC.call((a, out, error) -> (int) HearthNativeC.hearth_chat_parse.invokeExact(
                a.allocateFrom(parserState), a.allocateFrom(text), partial ? 1 : 0, out, error));
        return parseJson(message);
    }

    private static final com.fasterxml.jackson.databind.ObjectReader LENIENT = JSON.reader()
            .with(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS);

    /**
     * Some families' parsers copy raw control characters from the output into argument strings, which strict JSON
     * readers (every OpenAI client) reject: such arguments are re-written with the characters escaped. Anything
     * that does not read as JSON at all (a call cut off by max tokens) is kept as generated.
     */
    static String strictJson(String arguments) {
        try {
            JSON.readTree(arguments);
            return arguments;
        } catch (IOException strictFailed) {
            try {
                return JSON.writeValueAsString(LENIENT.readTree(arguments));
            } catch (IOException e) {
                return arguments;
            }
        }
    }

    private static ObjectNode request(List<ChatMessage> messages, ChatOptions options, String reasoningFormat) {
        ObjectNode req = JSON.createObjectNode();
        ArrayNode msgs = req.putArray("messages");
        for (ChatMessage m : messages) {
            ObjectNode o = msgs.addObject();
            o.put("role", m.role().wireName());
            o.put("content", m.content());
            if (!m.reasoning().isEmpty()) {
                o.put("reasoning_content", m.reasoning());
            }
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    ObjectNode call = calls.addObject();
                    call.put("id", c.id());
                    call.put("type", "function");
                    call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
                }
            }
            if (!m.toolCallId().isEmpty()) {
                o.put("tool_call_id", m.toolCallId());
            }
        }
        if (!options.tools().isEmpty()) {
            ArrayNode tools = req.putArray("tools");
            for (Tool t : options.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function");
                f.put("name", t.name()).put("description", t.description());
                JsonNode parameters = parseJson(t.parameters());
                TemplateChecks.checkDepth(parameters, "the parameters of tool " + t.name());
                f.set("parameters", parameters);
            }
            req.put("tool_choice", options.toolChoice().wireName());
            req.put("parallel_tool_calls", options.parallelToolCalls());
        }
        req.put("enable_thinking", options.reasoning());
        req.put("reasoning_format", reasoningFormat);
        req.put("add_generation_prompt", true);
        if (!options.jsonSchema().isEmpty()) {
            JsonNode schema = parseJson(options.jsonSchema());
            TemplateChecks.checkDepth(schema, "the JSON schema");
            req.set("json_schema", schema);
        }
        return req;
    }

    static JsonNode parseJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // llama.cpp's regex_escape: backslash every regex metacharacter (std::regex ECMAScript syntax).
    static String regexEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    static String anchored(String pattern) {
        if (pattern.isEmpty()) {
            return "^$";
        }
        return (pattern.charAt(0) != '^' ? "^" : "") + pattern + (pattern.charAt(pattern.length() - 1) != '$' ? "$" : "");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the chat template is closed (its model was closed)");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                HearthNativeC.hearth_chat_templates_free.invokeExact(handle);
            } catch (Throwable t) {
                throw NativeCalls.rethrow(t);
            } finally {
                arena.close();
            }
        }
    }
}
