package dev.hearth.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.Capabilities;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.StopReason;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.api.Usage;
import dev.hearth.remote.anthropic.AnthropicWire;
import dev.hearth.remote.anthropic.AnthropicWire.Block;
import dev.hearth.remote.anthropic.AnthropicWire.Message;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Claude through Anthropic's Messages API ({@code POST /v1/messages}), streamed over server-sent events or whole.
 * System messages become the system prompt; tool results become {@code tool_result} blocks of the next user turn;
 * an assistant's reasoning goes back as a signed {@code thinking} block. A JSON-schema request uses Claude's
 * structured outputs ({@code output_config.format}), with the schema made strict the way the API requires (see
 * {@link StrictSchema}); a refusal comes back as {@link StopReason#REFUSAL}. Prompt prefixes are cached as its
 * {@link PromptCache} says.
 */
public final class AnthropicClient extends RemoteClient {
    public static final String API_VERSION = "2023-06-01";

    private final PromptCache cache;

    /** A client that caches prompt prefixes the {@link PromptCache#AUTO} way. */
    public AnthropicClient(RemoteConfig config) {
        this(config, PromptCache.AUTO);
    }

    public AnthropicClient(RemoteConfig config, PromptCache cache) {
        super(config);
        this.cache = cache;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, true, true, 200_000);
    }

    @Override
    HttpRequest httpRequest(ChatRequest request, boolean stream) {
        return HttpRequest.newBuilder(config.resolve("/v1/messages"))
                .header("x-api-key", config.apiKey())
                .header("anthropic-version", API_VERSION)
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .POST(jsonBody(body(request, stream))).build();
    }

    /** The request body, with this client's cache breakpoints. */
    com.fasterxml.jackson.databind.node.ObjectNode body(ChatRequest request, boolean stream) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.valueToTree(wire(request, stream));
        cache.mark(body);
        return body;
    }

    /** The request in Anthropic's format. */
    static AnthropicWire.MessagesRequest wire(ChatRequest r, boolean stream) {
        AnthropicWire.OutputConfig output = switch (r.responseFormat()) {
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject o -> throw new IllegalArgumentException("Anthropic has no free-form JSON mode:"
                    + " send a JSON schema (ResponseFormat.jsonSchema) and Claude's structured outputs will follow it");
            case ResponseFormat.JsonSchema js -> new AnthropicWire.OutputConfig(new AnthropicWire.OutputFormat(
                    "json_schema", StrictSchema.forAnthropic(json(js.schema(), "the response schema " + js.name()))));
        };
        StringBuilder system = new StringBuilder();
        List<Message> messages = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            switch (m.role()) {
                case SYSTEM -> system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                case USER -> add(messages, "user", List.of(new AnthropicWire.TextBlock(m.content())));
                case TOOL -> add(messages, "user", List.of(new AnthropicWire.ToolResultBlock(m.toolCallId(), m.content())));
                case ASSISTANT -> add(messages, "assistant", assistantBlocks(m));
            }
        }
        List<AnthropicWire.ToolDefinition> tools = r.tools().isEmpty() ? null : r.tools().stream()
                .map(AnthropicClient::tool).toList();
        return new AnthropicWire.MessagesRequest(r.model(), r.maxTokens(), system.isEmpty() ? null : system.toString(),
                messages, tools, tools == null ? null : toolChoice(r.toolChoice()),
                r.stop().isEmpty() ? null : r.stop(), r.temperature(), r.topP(), stream ? Boolean.TRUE : null,
                thinking(r.thinking(), r.maxTokens()), output);
    }

    private static List<Block> assistantBlocks(ChatMessage m) {
        List<Block> blocks = new ArrayList<>();
        if (!m.reasoning().isEmpty() && !m.reasoningSignature().isEmpty()) {
            blocks.add(new AnthropicWire.ThinkingBlock(m.reasoning(), m.reasoningSignature()));
        }
        if (!m.content().isEmpty()) {
            blocks.add(new AnthropicWire.TextBlock(m.content()));
        }
        for (ToolCall c : m.toolCalls()) {
            blocks.add(new AnthropicWire.ToolUseBlock(c.id(), c.name(), json(c.arguments(), "the arguments of " + c.name())));
        }
        if (blocks.isEmpty()) {
            blocks.add(new AnthropicWire.TextBlock(""));
        }
        return blocks;
    }

    /** Consecutive turns of one role go into one message, as the API requires alternation. */
    private static void add(List<Message> messages, String role, List<Block> blocks) {
        if (!messages.isEmpty() && messages.getLast().role().equals(role)) {
            List<Block> merged = new ArrayList<>(messages.getLast().content());
            merged.addAll(blocks);
            messages.set(messages.size() - 1, new Message(role, merged));
        } else {
            messages.add(new Message(role, blocks));
        }
    }

    private static AnthropicWire.ToolDefinition tool(Tool t) {
        return new AnthropicWire.ToolDefinition(t.name(), t.description().isEmpty() ? null : t.description(),
                json(t.parameters(), "the schema of tool " + t.name()));
    }

    private static AnthropicWire.ToolChoice toolChoice(ToolChoice c) {
        return switch (c) {
            case ToolChoice.Auto a -> new AnthropicWire.ToolChoice("auto", null);
            case ToolChoice.None n -> new AnthropicWire.ToolChoice("none", null);
            case ToolChoice.Required q -> new AnthropicWire.ToolChoice("any", null);
            case ToolChoice.Named n -> new AnthropicWire.ToolChoice("tool", n.name());
        };
    }

    private static AnthropicWire.Thinking thinking(Thinking t, int maxTokens) {
        return switch (t.mode()) {
            case DEFAULT -> null;
            case OFF -> new AnthropicWire.Thinking("disabled", null);
            case ON -> {
                int budget = t.budgetTokens() > 0 ? t.budgetTokens() : Math.max(1024, maxTokens / 2);
                if (budget < 1024 || budget >= maxTokens) {
                    throw new IllegalArgumentException("Anthropic needs a thinking budget of at least 1,024 tokens and"
                            + " below maxTokens; got budget " + budget + " with maxTokens " + maxTokens
                            + ": raise maxTokens or set the budget");
                }
                yield new AnthropicWire.Thinking("enabled", budget);
            }
        };
    }

    @Override
    ChatResponse parse(String body) throws IOException {
        AnthropicWire.MessagesResponse r = JSON.readValue(body, AnthropicWire.MessagesResponse.class);
        StringBuilder content = new StringBuilder(), reasoning = new StringBuilder(), signature = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (AnthropicWire.ResponseBlock b : r.content() == null ? List.<AnthropicWire.ResponseBlock>of() : r.content()) {
            switch (b.type()) {
                case "text" -> content.append(b.text());
                case "thinking" -> {
                    reasoning.append(b.thinking());
                    signature.append(b.signature() == null ? "" : b.signature());
                }
                case "tool_use" -> calls.add(new ToolCall(b.id(), b.name(), b.input() == null ? "{}" : b.input().toString()));
                default -> { } // redacted thinking, server tools: nothing Hearth shows
            }
        }
        return new ChatResponse(r.id(), r.model(), content.toString(), reasoning.toString(), signature.toString(), calls,
                stopReason(r.stopReason()), r.stopReason(), usage(r.usage(), Usage.NONE));
    }

    @Override
    boolean onEvent(SseEvent event, Accumulator acc) throws IOException {
        return AnthropicStream.onEvent(config.provider(), event, acc);
    }

    static StopReason stopReason(String s) {
        return switch (s == null ? "" : s) {
            case "end_turn" -> StopReason.END_TURN;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.REFUSAL;
            default -> StopReason.OTHER;
        };
    }

    /** Usage from the wire; counts missing there keep their value in {@code before} (message_delta is cumulative). */
    static Usage usage(AnthropicWire.Usage u, Usage before) {
        if (u == null) {
            return before;
        }
        return new Usage(or(u.inputTokens(), before.inputTokens()), or(u.outputTokens(), before.outputTokens()),
                or(u.cacheReadInputTokens(), before.cacheReadTokens()),
                or(u.cacheCreationInputTokens(), before.cacheWriteTokens()), 0);
    }

    private static long or(Long v, long otherwise) {
        return v == null ? otherwise : v;
    }

    private static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
