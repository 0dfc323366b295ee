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

    @Test
    void aKeyIsReadWithoutTheSpacesAndLineEndsAroundItAndOneWithAControlCharacterInsideIsRefusedUnshown() {
        assertThat(RemoteConfig.fromEnvironment("anthropic", Map.of("ANTHROPIC_API_KEY", " k-pasted-123\r\n")).apiKey())
                .isEqualTo("k-pasted-123");
        assertThat(RemoteConfig.of("openai", URI.create("http://127.0.0.1:9"), "k-given-456\t").apiKey())
                .isEqualTo("k-given-456");
        assertThatThrownBy(() -> RemoteConfig.fromEnvironment("deepseek", Map.of("DEEPSEEK_API_KEY", "k-two\rlines")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DEEPSEEK_API_KEY has a space or a control character inside the key")
                .message().doesNotContain("k-two").doesNotContain("lines");
    }

    @Test
    void aServerTakesTheKeyItsModelNamesAndTheVendorsKeyOnlyOnTheVendorsOwnHost() {
        Map<String, String> env = Map.of("DEEPSEEK_API_KEY", "vendor-key", "BOX_KEY", " box-key\n");
        URI box = URI.create("http://127.0.0.1:8000/v1/");
        assertThat(RemoteConfig.forServer("box", "deepseek", box, "BOX_KEY", env).apiKey()).isEqualTo("box-key");
        assertThat(RemoteConfig.forServer("box", "deepseek", box, "BOX_KEY", env).baseUri())
                .isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
        assertThat(RemoteConfig.forServer("box", "deepseek", box, null, env).apiKey()).as("never the vendor's").isEmpty();
        assertThat(RemoteConfig.forServer("ds", "deepseek", URI.create("https://api.deepseek.com/v1"), null, env)
                .apiKey()).as("the vendor's own host").isEqualTo("vendor-key");
        assertThat(RemoteConfig.forServer("ds", "deepseek", URI.create("http://api.deepseek.com"), null, env)
                .apiKey()).as("not over plain http").isEmpty();
        Map<String, String> proxied = Map.of("DEEPSEEK_API_KEY", "vendor-key", "DEEPSEEK_BASE_URL",
                "http://127.0.0.1:8000");
        assertThat(RemoteConfig.forServer("ds", "deepseek", box, null, proxied).apiKey())
                .as("DEEPSEEK_BASE_URL's host is where DeepSeek's key was configured to go").isEqualTo("vendor-key");
        assertThatThrownBy(() -> RemoteConfig.forServer("box", "vllm", box, "NOT_SET", env))
                .hasMessageContaining("no API key for the model box").hasMessageContaining("api_key_env")
                .hasMessageContaining("set NOT_SET");
    }
}
