package dev.hearth.cli;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.PriceTable;
import dev.hearth.remote.RemoteConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One chat turn sent to a remote vendor ({@code --model anthropic:claude-sonnet-4-6}, {@code deepseek:...}). */
final class RemoteChat {
    static final Set<String> PROVIDERS = Set.of("anthropic", "deepseek", "openai");

    private final String provider;
    private final String model;
    private final ChatBackend backend;
    private final PriceTable prices = PriceTable.defaults();

    private RemoteChat(String provider, String model, ChatBackend backend) {
        this.provider = provider;
        this.model = model;
        this.backend = backend;
    }

    /** The remote vendor a --model spec names, or null for a local model. */
    static RemoteChat of(String spec, Map<String, String> env) {
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon <= 0 || !PROVIDERS.contains(spec.substring(0, colon).toLowerCase(Locale.ROOT))) {
            return null;
        }
        String provider = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String model = spec.substring(colon + 1);
        if (model.isBlank()) {
            throw new IllegalArgumentException("name the model after " + provider + ": e.g. --model " + provider + ":"
                    + (provider.equals("anthropic") ? "claude-sonnet-4-6" : provider.equals("deepseek")
                    ? "deepseek-flash" : "gpt-5-mini"));
        }
        RemoteConfig config = RemoteConfig.fromEnvironment(provider, env);
        ChatBackend backend = provider.equals("anthropic") ? new AnthropicClient(config) : new OpenAiCompatibleClient(config);
        return new RemoteChat(provider, model, backend);
    }

    /** Answers the conversation, printing content to stdout and reasoning and figures to stderr. */
    ChatResponse answer(List<ChatMessage> history, ModelOptions o, List<Tool> tools, String toolChoice, String schema,
            boolean noReasoning) throws InterruptedException {
        ChatRequest request = ChatRequest.of(model, history).withMaxTokens(o.maxTokens == null ? 4096 : o.maxTokens)
                .withStop(o.stops).withTemperature(o.temperature == null ? null : (double) o.temperature);
        if (!tools.isEmpty()) {
            request = request.withTools(tools, switch (toolChoice.toLowerCase(Locale.ROOT)) {
                case "required" -> ToolChoice.REQUIRED;
                case "none" -> ToolChoice.NONE;
                default -> ToolChoice.AUTO;
            });
        }
        if (schema != null) {
            request = request.withResponseFormat(ResponseFormat.jsonSchema("answer", schema, true));
        }
        if (noReasoning) {
            request = request.withThinking(Thinking.OFF);
        }
        PrintStream out = System.out;
        long start = System.nanoTime();
        try {
            ChatResponse r = backend.stream(request, new ChatSink() {
                @Override
                public void onContent(String delta) {
                    out.print(delta);
                    out.flush();
                }

                @Override
                public void onReasoning(String delta) {
                    System.err.print(delta);
                    System.err.flush();
                }
            });
            out.println();
            if (!r.toolCalls().isEmpty()) {
                out.println(ToolsFile.callsAsJson(r.toolCalls()));
            }
            var u = r.usage();
            String cost = prices.cost(provider, r.model().isEmpty() ? model : r.model(), u, Instant.now())
                    .or(() -> prices.cost(provider, model, u, Instant.now()))
                    .map(c -> String.format(Locale.ROOT, "$%.6f", c)).orElse("no price for this model in the table");
            System.err.printf(Locale.ROOT, "[%s %s: %d input + %d cache read + %d cache write, %d output tokens;"
                            + " %s; %.1f s; %s]%n", provider, r.model(), u.inputTokens(), u.cacheReadTokens(),
                    u.cacheWriteTokens(), u.outputTokens(), cost, (System.nanoTime() - start) / 1e9, r.stopReason());
            return r;
        } catch (ProviderException e) {
            System.err.println("hearth: " + e.getMessage());
            if (e.partial() != null) {
                System.err.println("hearth: the partial answer above was kept");
            }
            return null;
        }
    }
}
