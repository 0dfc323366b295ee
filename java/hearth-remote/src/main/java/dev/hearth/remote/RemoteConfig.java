package dev.hearth.remote;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How to reach one vendor. The API key is held here only: {@link #toString()} never shows it, and no exception or
 * log line of this module contains it.
 *
 * @param provider  the backend's name ("anthropic", "deepseek", "openai", or any for a compatible server)
 * @param baseUri   where the API is (e.g. https://api.anthropic.com, https://api.deepseek.com, a proxy, a fake)
 * @param apiKey    the key ("" for servers that need none)
 * @param timeouts  deadlines
 * @param retry     retries before the first token
 * @param clock     for rate-limit reset times (injected)
 * @param sleeper   for waits between retries (injected)
 * @param random    for jitter (injected)
 */
public record RemoteConfig(String provider, URI baseUri, String apiKey, Timeouts timeouts, RetryPolicy retry,
        Clock clock, Sleeper sleeper, RandomGenerator random) {
    /** Default base URLs, and the environment variables that override them. */
    public static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "anthropic", "https://api.anthropic.com",
            "deepseek", "https://api.deepseek.com",
            "openai", "https://api.openai.com/v1");

    public RemoteConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUri, "baseUri");
        apiKey = apiKey == null ? "" : apiKey;
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the base URL of " + provider + " must be http or https, was " + baseUri);
        }
    }

    public static RemoteConfig of(String provider, URI baseUri, String apiKey) {
        return new RemoteConfig(provider, baseUri, apiKey, Timeouts.defaults(), RetryPolicy.defaults(),
                Clock.systemUTC(), Sleeper.REAL, RandomGenerator.getDefault());
    }

    /**
     * A vendor configured from the environment: {@code <PROVIDER>_API_KEY} and {@code <PROVIDER>_BASE_URL}
     * (e.g. ANTHROPIC_API_KEY, DEEPSEEK_BASE_URL), else the default base URL.
     */
    public static RemoteConfig fromEnvironment(String provider, Map<String, String> env) {
        String prefix = provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        String base = env.getOrDefault(prefix + "_BASE_URL", DEFAULT_BASE_URLS.get(provider));
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("no base URL for " + provider + ": set " + prefix + "_BASE_URL");
        }
        String key = env.get(prefix + "_API_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no API key for " + provider + ": set " + prefix + "_API_KEY");
        }
        return of(provider, URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base), key);
    }

    public RemoteConfig withTimeouts(Timeouts t) {
        return new RemoteConfig(provider, baseUri, apiKey, t, retry, clock, sleeper, random);
    }

    public RemoteConfig withRetry(RetryPolicy r) {
        return new RemoteConfig(provider, baseUri, apiKey, timeouts, r, clock, sleeper, random);
    }

    public RemoteConfig withClock(Clock c) {
        return new RemoteConfig(provider, baseUri, apiKey, timeouts, retry, c, sleeper, random);
    }

    public RemoteConfig withSleeper(Sleeper s) {
        return new RemoteConfig(provider, baseUri, apiKey, timeouts, retry, clock, s, random);
    }

    public RemoteConfig withRandom(RandomGenerator r) {
        return new RemoteConfig(provider, baseUri, apiKey, timeouts, retry, clock, sleeper, r);
    }

    /** Resolves a path against the base URL ("/v1/messages"). */
    public URI resolve(String path) {
        String base = baseUri.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    @Override
    public String toString() {
        return "RemoteConfig[provider=" + provider + ", baseUri=" + baseUri + ", apiKey="
                + (apiKey.isEmpty() ? "(none)" : "(set, " + apiKey.length() + " chars)") + ", timeouts=" + timeouts
                + ", retry=" + retry + "]";
    }
}
