package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.ffi.HearthNativeC;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.internal.Budgets;
import dev.hearth.llama.internal.Nesting;
import dev.hearth.llama.internal.NativeStack;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's chat template, run by llama.cpp's chat library (Jinja, every model family's tool-call and reasoning
 * format, lazy tool-call grammars, the output parser) through libhearth_native. That library recurses on templates,
 * schemas, conversations and output without a limit, so what reaches it is checked first against
 * {@link Budgets} ({@link TemplateChecks}, {@link JsonChecks}, {@link Nesting}) and the calls run on
 * {@link NativeStack}'s large stacks. Thread-safe; closed with its model.
 */
public final class ChatTemplate implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final List<MemorySegment> handles = new ArrayList<>(2);
    private final MemorySegment handle;
    private final MemorySegment toolHandle; // for requests with tools: the model's tool_use variant, or handle
    private boolean closed;
    private volatile boolean abandoned; // a native call ran past its deadline and may still be using the handles

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

    /**
     * The override, or the model's own templates: its default and its tool_use variant, which llama.cpp picks when a
     * request has tools. Each is checked by {@link TemplateChecks}; one whose macro depth had to be bounded reaches
     * llama.cpp as an override, a handle for each variant, picked as llama.cpp would have picked.
     */
    ChatTemplate(LlamaModel model, String override) {
        try {
            if (!override.isEmpty()) {
                handle = init(model, TemplateChecks.guard(override), override, "");
                toolHandle = handle;
                return;
            }
            String own = model.chatTemplateSource().orElse("");
            String toolUse = model.chatTemplateSource("tool_use").orElse("");
            String ownGuarded = TemplateChecks.guard(own);
            String toolUseGuarded = TemplateChecks.guard(toolUse);
            if (ownGuarded.equals(own) && toolUseGuarded.equals(toolUse)) {
                handle = init(model, null, own + "\n" + toolUse, OWN);
                toolHandle = handle;
            } else if (toolUse.isEmpty() || own.isEmpty() || own.equals(ChatTemplates.FALLBACK)) {
                String source = toolUse.isEmpty() ? ownGuarded : toolUseGuarded;
                handle = init(model, source, source, OWN);
                toolHandle = handle;
            } else {
                handle = init(model, ownGuarded, ownGuarded, OWN);
                toolHandle = init(model, toolUseGuarded, toolUseGuarded, OWN);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private static final String OWN = " (the model's own template; pass an override)";

    /** Templates (by source) whose initialisation once ran past the deadline: refused at once from then on. */
    private static final java.util.Set<String> OVERDUE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // Initialises llama.cpp's templates (source null: the model's own) on a large stack, within the render deadline.
    private MemorySegment init(LlamaModel model, String source, String key, String whose) {
        abandoned |= OVERDUE.contains(key);
        MemorySegment created;
        try {
            MemorySegment m = model.handle(); // here: the other thread must not take the model's lock
            created = onNativeStack("initialise", () -> initNow(m, source, whose));
        } finally {
            if (abandoned) {
                OVERDUE.add(key);
            }
        }
        handles.add(created);
        return created;
    }

    private static MemorySegment initNow(MemorySegment model, String source, String whose) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            MemorySegment error = a.allocate(ADDRESS);
            MemorySegment text = source == null ? MemorySegment.NULL : a.allocateFrom(source);
            int status = (int) HearthNativeC.hearth_chat_templates_init.invokeExact(model, text, out, error);
            if (status != 0) {
                String message = String.valueOf(HearthNativeC.takeString(error.get(ADDRESS, 0)));
                throw new IllegalArgumentException("the chat template cannot be used: " + message.strip() + whose);
            }
            return out.get(ADDRESS, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /**
     * Runs a call into llama.cpp's Jinja engine on {@link NativeStack}, within {@link Budgets#RENDER_DEADLINE}:
     * templates can loop for hours, and a loop cannot be stopped from Java. Past the deadline the call is left to
     * finish on its own, this template is refused from then on, and its handles are never freed (the call may still
     * be using them).
     */
    private <T> T onNativeStack(String what, java.util.concurrent.Callable<T> call) {
        if (abandoned) {
            throw new IllegalArgumentException("the chat template once took more than "
                    + Budgets.RENDER_DEADLINE.toSeconds() + " s to " + what + " and is refused; fix the template or"
                    + " pass an override");
        }
        try {
            return NativeStack.callWithin(Budgets.RENDER_DEADLINE, call, () -> abandoned = true);
        } catch (NativeStack.OverdueException e) {
            throw new IllegalArgumentException("the chat template took more than " + Budgets.RENDER_DEADLINE
                    .toSeconds() + " s to " + what + " (it loops too much) and is refused from now on; fix the"
                    + " template or pass an override", e);
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
        MemorySegment h = options.tools().isEmpty() ? handle : toolHandle;
        JsonNode r = apply(h, request(messages, options, reasoningFormat));
        if (!options.reasoning() && options.tools().isEmpty() && thinksAnyway(r)) {
            // a template that opens the thinking block even with thinking off: its model will think, so its
            // reasoning is parsed out of the answer as if thinking were on (not with tools: there the "auto" grammar
            // forces the call inside the open block, where the parser would read it as reasoning)
            reasoningFormat = "auto";
            r = apply(h, request(messages, options, reasoningFormat));
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
        state.put("parse_tool_calls", !options.tools().isEmpty() && !(options.toolChoice() instanceof ToolChoice.None));
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
    private JsonNode apply(MemorySegment h, ObjectNode request) {
        String json = request.toString();
        try {
            return parseJson(onNativeStack("render a conversation", () -> HearthNativeC.call((a, out, error) ->
                    (int) HearthNativeC.hearth_chat_apply.invokeExact(h, a.allocateFrom(json), out, error))));
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

    /**
     * Parses generated text into content, reasoning and tool calls; {@code partial} while it is still growing.
     * Text nested deeper than {@link Budgets#MAX_OUTPUT_NESTING} is refused with an IllegalArgumentException:
     * llama.cpp's parser recurses once per level.
     */
    public Parsed parse(Rendered rendered, String text, boolean partial) {
        int nesting = Nesting.of(text);
        if (nesting > Budgets.MAX_OUTPUT_NESTING) {
            throw new IllegalArgumentException("the text nests brackets " + nesting + " deep; Hearth parses output"
                    + " nested up to " + Budgets.MAX_OUTPUT_NESTING + " (llama.cpp's parser recurses once a level)");
        }
        return parseWithin(rendered, text, partial);
    }

    /** {@link #parse} of text whose nesting the caller has measured. */
    Parsed parseWithin(Rendered rendered, String text, boolean partial) {
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
        String message = NativeStack.call(() -> HearthNativeC.call((a, out, error) ->
                (int) HearthNativeC.hearth_chat_parse.invokeExact(a.allocateFrom(parserState), a.allocateFrom(text),
                        partial ? 1 : 0, out, error)));
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
        JsonChecks.checkHistory(messages);
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
                JsonChecks.checkSchema(t.parameters(), parameters, "the parameters of tool " + t.name());
                f.set("parameters", parameters);
            }
            req.put("tool_choice", toolChoiceName(options.toolChoice()));
            req.put("parallel_tool_calls", options.parallelToolCalls());
        }
        req.put("enable_thinking", options.reasoning());
        req.put("reasoning_format", reasoningFormat);
        req.put("add_generation_prompt", true);
        if (!options.jsonSchema().isEmpty()) {
            JsonNode schema = parseJson(options.jsonSchema());
            JsonChecks.checkSchema(options.jsonSchema(), schema, "the JSON schema");
            if (!options.tools().isEmpty()) { // alone, the schema's grammar is Hearth's own (ChatPlan): exact
                req.set("json_schema", schema);
            }
        }
        return req;
    }

    /** llama.cpp's tool_choice. A named choice does not get here: ChatOptions keeps it as that tool alone, required. */
    private static String toolChoiceName(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto _ -> "auto";
            case ToolChoice.None _ -> "none";
            case ToolChoice.Required _, ToolChoice.Named _ -> "required";
        };
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
            if (abandoned) {
                return; // a native call past its deadline may still be using them: never freed
            }
            for (MemorySegment h : handles) {
                try {
                    HearthNativeC.hearth_chat_templates_free.invokeExact(h);
                } catch (Throwable t) {
                    throw NativeCalls.rethrow(t);
                }
            }
        }
    }
}
