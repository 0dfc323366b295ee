package dev.hearth.remote;

import dev.hearth.api.Secrets;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How to reach one vendor. The API key is held here only: {@link #toString()} never shows it, and it is registered
 * with {@link Secrets}, so that no exception or log line shows it either (a vendor's error body may echo it). A key
 * is read without the spaces and line ends around it (a key pasted with a trailing {@code \r}); one with a space or
 * control character inside is refused.
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
        apiKey = apiKey == null ? "" : apiKey.strip();
        if (apiKey.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("the API key for " + provider + " has a space or a control character"
                    + " inside it; copy the key again");
        }
        Secrets.register(apiKey);
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
        String prefix = prefix(provider);
        URI base = vendorBase(provider, env);
        if (base == null) {
            throw new IllegalArgumentException("no base URL for " + provider + ": set " + prefix + "_BASE_URL");
        }
        String key = key(env, prefix + "_API_KEY");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("no API key for " + provider + ": set " + prefix + "_API_KEY");
        }
        return of(provider, base, key);
    }

    /**
     * A server one model of the configuration names by its own base URL ({@code base_url} of a hearth.toml
     * {@code [[model]]}). Its key is the one in {@code keyVariable} (that model's {@code api_key_env}), or none when
     * that is null; the vendor's own key ({@code <PROVIDER>_API_KEY}) goes with it only when the base URL is the
     * vendor's own host (its default, or {@code <PROVIDER>_BASE_URL}). A key is sent only to the host it was
     * configured for.
     *
     * @param model       the model's id, for messages
     * @param keyVariable the setting that holds the key, or null
     */
    public static RemoteConfig forServer(String model, String provider, URI base, String keyVariable,
            Map<String, String> env) {
        String key;
        if (keyVariable != null) {
            key = key(env, keyVariable);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("no API key for the model " + model + ": its api_key_env in"
                        + " hearth.toml names " + keyVariable + ", which is not set; set " + keyVariable
                        + ", or remove api_key_env if the server at " + base + " needs no key");
            }
        } else {
            URI vendor = vendorBase(provider, env);
            key = vendor != null && sameHost(vendor, base) ? key(env, prefix(provider) + "_API_KEY") : "";
        }
        return of(provider, trimmed(base.toString()), key);
    }

    /** The setting {@code variable} read as a key: without the spaces and line ends around it ("" when unset). */
    public static String key(Map<String, String> env, String variable) {
        String key = env.get(variable);
        key = key == null ? "" : key.strip();
        if (key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(variable + " has a space or a control character inside the key; copy"
                    + " the key again");
        }
        return key;
    }

    /** The vendor's base URL: {@code <PROVIDER>_BASE_URL}, else its default; null for a provider with neither. */
    private static URI vendorBase(String provider, Map<String, String> env) {
        String base = env.getOrDefault(prefix(provider) + "_BASE_URL", DEFAULT_BASE_URLS.get(provider));
        return base == null || base.isBlank() ? null : trimmed(base.strip());
    }

    /** Same scheme, host and port: where a key may go. */
    static boolean sameHost(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String prefix(String provider) {
        return provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static URI trimmed(String base) {
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
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
