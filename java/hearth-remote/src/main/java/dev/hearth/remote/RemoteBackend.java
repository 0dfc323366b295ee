package dev.hearth.remote;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.BackendTarget;
import java.util.Set;

/**
 * Remote models as a {@link BackendProvider}: Anthropic's Messages API for "anthropic", the OpenAI chat-completions
 * format for the other vendors Hearth knows (DeepSeek, OpenAI) and for any server the configuration gives a base URL
 * (vLLM, llama-server, Ollama, another Hearth, where a key is optional). A vendor's key and base URL come from the
 * target's settings ({@code <PROVIDER>_API_KEY}, {@code <PROVIDER>_BASE_URL}); a model with its own base URL takes
 * the key its configuration names ({@link BackendTarget#KEY_VARIABLE}) or none, by {@link RemoteConfig#forServer}.
 */
public final class RemoteBackend implements BackendProvider {
    @Override
    public String name() {
        return "remote vendors";
    }

    @Override
    public boolean serves(BackendTarget target) {
        return !target.local() && (target.baseUrl() != null || vendors().contains(target.provider()));
    }

    /** The vendors with a default base URL. */
    @Override
    public Set<String> vendors() {
        return RemoteConfig.DEFAULT_BASE_URLS.keySet();
    }

    @Override
    public ChatBackend connect(BackendTarget target) {
        String provider = target.provider();
        if (target.baseUrl() != null) {
            RemoteConfig config = RemoteConfig.forServer(target.id(), provider, target.baseUrl(),
                    target.settings().get(BackendTarget.KEY_VARIABLE), target.settings());
            String retries = target.settings().get(BackendTarget.MAX_RETRIES);
            return new OpenAiCompatibleClient(retries == null ? config
                    : config.withRetry(config.retry().withMaxRetries(Integer.parseInt(retries))));
        }
        RemoteConfig config = RemoteConfig.fromEnvironment(provider, target.settings());
        return provider.equals("anthropic")
                ? new AnthropicClient(config, PromptCache.fromEnvironment(target.settings()))
                : new OpenAiCompatibleClient(config);
    }
}
