package dev.hearth.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the README says the environment sets: each vendor's key and base URL, and the defaults. */
class RemoteConfigTest {
    @Test
    void eachVendorTakesItsKeyAndItsBaseUrlFromTheEnvironmentAndHasADefault() {
        for (String provider : new String[] {"anthropic", "deepseek", "openai"}) {
            String prefix = provider.toUpperCase();
            RemoteConfig plain = RemoteConfig.fromEnvironment(provider, Map.of(prefix + "_API_KEY", "k-" + provider));
            assertThat(plain.apiKey()).isEqualTo("k-" + provider);
            assertThat(plain.baseUri()).isEqualTo(URI.create(RemoteConfig.DEFAULT_BASE_URLS.get(provider)));
            RemoteConfig proxied = RemoteConfig.fromEnvironment(provider, Map.of(prefix + "_API_KEY", "k",
                    prefix + "_BASE_URL", "http://127.0.0.1:8080/" + provider + "/"));
            assertThat(proxied.baseUri()).isEqualTo(URI.create("http://127.0.0.1:8080/" + provider));
        }
        assertThat(RemoteConfig.DEFAULT_BASE_URLS.get("openai")).isEqualTo("https://api.openai.com/v1");
    }

    @Test
    void aMissingKeyOrBaseUrlNamesTheVariableToSet() {
        assertThatThrownBy(() -> RemoteConfig.fromEnvironment("openai", Map.of("ANTHROPIC_API_KEY", "k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set OPENAI_API_KEY");
        assertThatThrownBy(() -> RemoteConfig.fromEnvironment("vllm", Map.of("VLLM_API_KEY", "k")))
                .hasMessageContaining("set VLLM_BASE_URL");
        assertThatThrownBy(() -> RemoteConfig.fromEnvironment("deepseek", Map.of("DEEPSEEK_API_KEY", "k",
                "DEEPSEEK_BASE_URL", "ftp://example.invalid"))).hasMessageContaining("must be http or https");
    }
}
