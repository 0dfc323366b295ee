package dev.hearth.cli;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ProviderException;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.PriceTable;
import dev.hearth.remote.RemoteConfig;
import java.io.PrintStream;
import java.time.Instant;
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
        ChatBackend backend = provider.equals("anthropic")
                ? new AnthropicClient(config, dev.hearth.remote.PromptCache.fromEnvironment(env))
                : new OpenAiCompatibleClient(config);
        return new RemoteChat(provider, model, backend);
    }

    /** Answers the conversation, printing content to stdout and reasoning and figures to stderr. */
    ChatResponse answer(ChatRequest routedRequest) throws InterruptedException {
        ChatRequest request = routedRequest.withModel(model);
        PrintStream out = System.out;
        long start = System.nanoTime();
        try {
            ChatResponse r = backend.stream(request, new ConsoleSink());
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
