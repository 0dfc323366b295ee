package dev.hearth.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.hearth.remote.openai.OpenAiWire;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepSeek, OpenAI and any OpenAI-compatible server (vLLM, llama-server, Ollama, another Hearth) through
 * {@code POST <base>/chat/completions}, streamed ({@code data:} chunks to {@code [DONE]}, usage included) or whole.
 * The dialect follows the provider's name: DeepSeek gets its thinking switch and, on assistant turns that called
 * tools, the reasoning back; OpenAI gets {@code max_completion_tokens}; others the common subset.
 */
public final class OpenAiCompatibleClient extends RemoteClient {
    /** Which server's additions to speak. */
    public enum Dialect { OPENAI, DEEPSEEK, GENERIC }

    private static final com.fasterxml.jackson.databind.ObjectReader CHUNKS =
            JSON.readerFor(OpenAiWire.ChatCompletion.class);

    private final Dialect dialect;

    public OpenAiCompatibleClient(RemoteConfig config) {
        this(config, switch (config.provider()) {
            case "deepseek" -> Dialect.DEEPSEEK;
            case "openai" -> Dialect.OPENAI;
            default -> Dialect.GENERIC;
        });
    }

    public OpenAiCompatibleClient(RemoteConfig config, Dialect dialect) {
        super(config);
        this.dialect = dialect;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, dialect == Dialect.OPENAI, true, dialect == Dialect.DEEPSEEK ? 1_000_000 : 0);
    }

    @Override
    HttpRequest httpRequest(ChatRequest request, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.resolve("/chat/completions"))
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json");
        if (!config.apiKey().isEmpty()) {
            b.header("authorization", "Bearer " + config.apiKey());
        }
        return b.POST(jsonBody(wire(request, stream))).build();
    }

    OpenAiWire.ChatCompletionRequest wire(ChatRequest r, boolean stream) {
        List<OpenAiWire.Message> messages = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            messages.add(message(m));
        }
        List<OpenAiWire.ToolDefinition> tools = r.tools().isEmpty() ? null : r.tools().stream()
                .map(OpenAiCompatibleClient::tool).toList();
        boolean openai = dialect == Dialect.OPENAI;
        return new OpenAiWire.ChatCompletionRequest(r.model(), messages, tools,
                tools == null ? null : toolChoice(r.toolChoice()), openai ? null : r.maxTokens(),
                openai ? r.maxTokens() : null, r.temperature(), r.topP(), r.seed(), r.stop().isEmpty() ? null : r.stop(),
                responseFormat(r.responseFormat()), stream ? Boolean.TRUE : null,
                stream ? new OpenAiWire.StreamOptions(true) : null,
                dialect == Dialect.DEEPSEEK ? deepSeekThinking(r.thinking()) : null,
                openai && r.thinking().mode() == Thinking.Mode.ON ? "medium" : null);
    }

    private OpenAiWire.Message message(ChatMessage m) {
        return switch (m.role()) {
            case SYSTEM, USER -> new OpenAiWire.Message(m.role().wireName(), m.content(), null, null, null);
            case TOOL -> new OpenAiWire.Message("tool", m.content(), null, null, m.toolCallId());
            case ASSISTANT -> {
                List<OpenAiWire.ToolCall> calls = m.toolCalls().isEmpty() ? null : m.toolCalls().stream()
                        .map(c -> new OpenAiWire.ToolCall(null, c.id(), "function",
                                new OpenAiWire.Function(c.name(), c.arguments())))
                        .toList();
                // DeepSeek needs the reasoning of a turn that called tools back while that tool loop goes on
                String reasoning = dialect == Dialect.DEEPSEEK && calls != null && !m.reasoning().isEmpty()
                        ? m.reasoning() : null;
                yield new OpenAiWire.Message("assistant", calls != null && m.content().isEmpty() ? null : m.content(),
                        reasoning, calls, null);
            }
        };
    }

    private static OpenAiWire.ToolDefinition tool(Tool t) {
        return new OpenAiWire.ToolDefinition("function", new OpenAiWire.FunctionDefinition(t.name(),
                t.description().isEmpty() ? null : t.description(), json(t.parameters(), "the schema of tool " + t.name())));
    }

    private static JsonNode toolChoice(ToolChoice c) {
        return switch (c) {
            case ToolChoice.Auto a -> JSON.getNodeFactory().textNode("auto");
            case ToolChoice.None n -> JSON.getNodeFactory().textNode("none");
            case ToolChoice.Required q -> JSON.getNodeFactory().textNode("required");
            case ToolChoice.Named n -> {
                ObjectNode o = JSON.createObjectNode().put("type", "function");
                o.putObject("function").put("name", n.name());
                yield o;
            }
        };
    }

    private static OpenAiWire.ResponseFormat responseFormat(ResponseFormat f) {
        return switch (f) {
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject o -> new OpenAiWire.ResponseFormat("json_object", null);
            case ResponseFormat.JsonSchema s -> new OpenAiWire.ResponseFormat("json_schema",
                    new OpenAiWire.JsonSchema(s.name(), json(s.schema(), "the response schema"), s.strict()));
        };
    }

    private static OpenAiWire.Thinking deepSeekThinking(Thinking t) {
        return switch (t.mode()) {
            case DEFAULT -> null;
            case OFF -> new OpenAiWire.Thinking("disabled");
            case ON -> new OpenAiWire.Thinking("enabled");
        };
    }

    @Override
    ChatResponse parse(String body) throws IOException {
        OpenAiWire.ChatCompletion c = JSON.readValue(body, OpenAiWire.ChatCompletion.class);
        if (c.choices() == null || c.choices().isEmpty() || c.choices().getFirst().message() == null) {
            throw new IOException("the answer has no choices");
        }
        OpenAiWire.Choice choice = c.choices().getFirst();
        OpenAiWire.ResponseMessage m = choice.message();
        List<ToolCall> calls = new ArrayList<>();
        if (m.toolCalls() != null) {
            for (OpenAiWire.ToolCall t : m.toolCalls()) {
                calls.add(new ToolCall(t.id(), t.function() == null ? "" : t.function().name(),
                        t.function() == null ? "{}" : t.function().arguments()));
            }
        }
        return new ChatResponse(c.id(), c.model(), m.content(), m.reasoningContent(), "", calls,
                stopReason(choice.finishReason()), choice.finishReason(), usage(c.usage()));
    }

    @Override
    boolean onEvent(SseEvent event, Accumulator acc) throws IOException {
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            return true;
        }
        OpenAiWire.ChatCompletion chunk = CHUNKS.readValue(data);
        if (chunk.error() != null && !chunk.error().isNull()) {
            throw ErrorMapper.fromStreamError(config.provider(), chunk.error());
        }
        if (chunk.id() != null) {
            acc.id = chunk.id();
        }
        if (chunk.model() != null) {
            acc.model = chunk.model();
        }
        if (chunk.usage() != null) {
            acc.usage = usage(chunk.usage());
        }
        for (OpenAiWire.Choice choice : chunk.choices() == null ? List.<OpenAiWire.Choice>of() : chunk.choices()) {
            OpenAiWire.ResponseMessage d = choice.delta();
            if (d != null) {
                acc.reasoning(d.reasoningContent());
                acc.content(d.content());
                if (d.toolCalls() != null) {
                    for (OpenAiWire.ToolCall t : d.toolCalls()) {
                        acc.toolCall(t.index() == null ? 0 : t.index(), t.id(),
                                t.function() == null ? null : t.function().name(),
                                t.function() == null ? null : t.function().arguments());
                    }
                }
            }
            if (choice.finishReason() != null) {
                acc.rawStopReason = choice.finishReason();
                acc.stopReason = stopReason(choice.finishReason());
                acc.allToolCallsDone();
            }
        }
        return false;
    }

    static StopReason stopReason(String s) {
        return switch (s == null ? "" : s) {
            case "stop" -> StopReason.END_TURN;
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.REFUSAL;
            default -> StopReason.OTHER;
        };
    }

    /** DeepSeek says hits and misses; OpenAI says cached tokens inside prompt_tokens. Each input token counted once. */
    static Usage usage(OpenAiWire.Usage u) {
        if (u == null) {
            return Usage.NONE;
        }
        long prompt = u.promptTokens() == null ? 0 : u.promptTokens();
        long output = u.completionTokens() == null ? 0 : u.completionTokens();
        long reasoning = u.completionTokensDetails() == null || u.completionTokensDetails().reasoningTokens() == null
                ? 0 : u.completionTokensDetails().reasoningTokens();
        long cached;
        if (u.promptCacheHitTokens() != null) {
            cached = u.promptCacheHitTokens();
        } else {
            cached = u.promptTokensDetails() == null || u.promptTokensDetails().cachedTokens() == null
                    ? 0 : u.promptTokensDetails().cachedTokens();
        }
        long uncached = u.promptCacheMissTokens() != null ? u.promptCacheMissTokens() : Math.max(0, prompt - cached);
        return new Usage(uncached, output, cached, 0, reasoning);
    }

    private static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
