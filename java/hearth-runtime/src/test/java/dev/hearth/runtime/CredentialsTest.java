package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.router.FallbackChain;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials go only where they belong, judged by what the loopback vendors received: a base URL and its key belong to
 * the one [[model]] that declares them, never to the other models of its provider; a vendor's key goes only to the
 * vendor's host; no message shows a key; and everything of a request that leaves the machine passes the privacy guard.
 */
class CredentialsTest {
    static final String DEEPSEEK_KEY = "ds-real-key-7f3a9c2e";
    static final String PROXY_KEY = "proxy-key-5b8d1e4f";

    @TempDir
    Path dir;

    static ChatRequest ask(String model) {
        return ChatRequest.of(model, List.of(ChatMessage.user("Say hello."))).withMaxTokens(16);
    }

    static List<String> authorizations(FakeOpenAiServer server) {
        return server.received().stream().map(RecordedRequest::headers).map(h -> String.valueOf(h.get("authorization")))
                .toList();
    }

    Path config(String toml) throws Exception {
        return Files.writeString(dir.resolve("hearth.toml"), toml);
    }

    @Test
    void aDeepseekModelWithItsOwnBaseUrlLeavesTheBuiltInDeepseekModelsAndTheirKeyAlone() throws Exception {
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer(DEEPSEEK_KEY, FakeOpenAiServer.Flavor.DEEPSEEK);
             FakeOpenAiServer proxy = new FakeOpenAiServer(PROXY_KEY, FakeOpenAiServer.Flavor.OPENAI)) {
            Path file = config("""
                    [[model]]
                    id = "proxied"
                    provider = "deepseek"
                    model = "deepseek-flash"
                    base_url = "%1$s"
                    api_key_env = "PROXY_KEY"

                    [[model]]
                    id = "keyless"
                    provider = "deepseek"
                    model = "deepseek-flash"
                    base_url = "%1$s"
                    """.formatted(proxy.baseUri()));
            // DEEPSEEK_BASE_URL stands for DeepSeek's own host
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                    "DEEPSEEK_API_KEY", DEEPSEEK_KEY, "DEEPSEEK_BASE_URL", deepseek.baseUri().toString(),
                    "PROXY_KEY", PROXY_KEY, "HEARTH_ALLOW_EXTERNAL", "true"))) {
                assertThat(hearth.chat(ask("deepseek-flash")).answeredBy().id()).isEqualTo("deepseek-flash");
                assertThat(hearth.chat(ask(hearth.use("deepseek:deepseek-v4-pro"))).sentTo()).isEqualTo("deepseek");
                assertThat(deepseek.received()).hasSize(2);
                assertThat(proxy.received()).as("the built-in models stay on DeepSeek").isEmpty();

                assertThat(hearth.chat(ask("proxied")).answeredBy().id()).isEqualTo("proxied");
                assertThatThrownBy(() -> hearth.chat(ask("keyless")))
                        .isInstanceOf(ProviderException.AuthenticationFailed.class);
                assertThat(authorizations(proxy)).as("its own key, then none: never DeepSeek's")
                        .containsExactly("Bearer " + PROXY_KEY, "null");
                assertThat(deepseek.received()).hasSize(2);
            }
        }
    }

    @Test
    void twoServersOfOneProviderEachGetTheirOwnModelsRequestsAndKeys() throws Exception {
        try (FakeOpenAiServer a = new FakeOpenAiServer("key-of-a-12345", FakeOpenAiServer.Flavor.OPENAI);
             FakeOpenAiServer b = new FakeOpenAiServer("key-of-b-67890", FakeOpenAiServer.Flavor.OPENAI)) {
            Path file = config("""
                    [[model]]
                    id = "on-a"
                    provider = "vllm"
                    model = "coder"
                    base_url = "%s/v1"
                    api_key_env = "A_KEY"

                    [[model]]
                    id = "on-b"
                    provider = "vllm"
                    model = "writer"
                    base_url = "%s"
                    api_key_env = "B_KEY"
                    """.formatted(a.baseUri(), b.baseUri()));
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                    "A_KEY", "key-of-a-12345", "B_KEY", "key-of-b-67890", "VLLM_API_KEY", "vllm-key-unused",
                    "HEARTH_ALLOW_EXTERNAL", "true"))) {
                for (int i = 0; i < 2; i++) { // again, once their clients exist
                    hearth.chat(ask("on-a"));
                    hearth.chat(ask("on-b"));
                }
                assertThat(a.received()).extracting(r -> r.json().path("model").asText()).containsOnly("coder");
                assertThat(b.received()).extracting(r -> r.json().path("model").asText()).containsOnly("writer");
                assertThat(authorizations(a)).hasSize(2).containsOnly("Bearer key-of-a-12345");
                assertThat(authorizations(b)).hasSize(2).containsOnly("Bearer key-of-b-67890");
                // a model the file declares by its own name goes to its own server; another could be on either
                assertThat(hearth.chat(ask(hearth.use("vllm:writer"))).sentTo()).isEqualTo("vllm");
                assertThat(b.received()).hasSize(3);
                assertThatThrownBy(() -> hearth.use("vllm:other")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("[on-a, on-b]").hasMessageContaining("name one of those models");
            }
        }
    }

    @Test
    void aModelWhoseBaseUrlIsTheVendorsOwnHostTakesTheVendorsKey() throws Exception {
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer(DEEPSEEK_KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Path file = config("""
                    [[model]]
                    id = "ds-v1"
                    provider = "deepseek"
                    model = "deepseek-chat"
                    base_url = "%s/v1"
                    """.formatted(deepseek.baseUri()));
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                    "DEEPSEEK_API_KEY", DEEPSEEK_KEY, "DEEPSEEK_BASE_URL", deepseek.baseUri().toString(),
                    "HEARTH_ALLOW_EXTERNAL", "true"))) {
                hearth.chat(ask("ds-v1"));
                assertThat(authorizations(deepseek)).containsExactly("Bearer " + DEEPSEEK_KEY);
            }
        }
    }

    @Test
    void aKeyReadWithALineEndIsTrimmedAndAKeyAVendorEchoesIsNeverShown() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("claude-key-4c2b9d7e")) {
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                    "ANTHROPIC_API_KEY", "claude-key-4c2b9d7e\r\n", "ANTHROPIC_BASE_URL", claude.baseUri().toString()))) {
                assertThat(hearth.chat(ask("claude-sonnet-4-6")).sentTo()).isEqualTo("anthropic");
                claude.enqueue(FakeReply.failing(dev.hearth.testkit.upstream.Fault.status(401, "authentication_error",
                        "invalid x-api-key: claude-key-4c2b9d7e")));
                assertThatThrownBy(() -> hearth.chat(ask("claude-sonnet-4-6"))).isInstanceOf(ProviderException.class)
                        .hasMessageContaining("invalid x-api-key: [REDACTED API key]")
                        .message().doesNotContain("claude-key-4c2b9d7e");
            }
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                    "ANTHROPIC_API_KEY", "claude-key\n-4c2b9d7e", "ANTHROPIC_BASE_URL", claude.baseUri().toString()))) {
                assertThatThrownBy(() -> hearth.chat(ask("claude-sonnet-4-6")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("ANTHROPIC_API_KEY has a space or a control character inside the key")
                        .message().doesNotContain("4c2b9d7e");
            }
        }
    }

    @Test
    void toolsSchemasAndToolCallArgumentsAreScannedBeforeTheyLeave() throws Exception {
        String secret = "ghp_1234567890abcdefghijABCDEFGHIJ0123456789";
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer(DEEPSEEK_KEY, FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "remote_only",
                     "DEEPSEEK_API_KEY", DEEPSEEK_KEY, "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()))) {
            ChatRequest request = ask("deepseek-flash")
                    .withTools(List.of(new Tool("push", "Pushes with token " + secret, "{\"type\":\"object\","
                            + "\"properties\":{\"user\":{\"type\":\"string\",\"description\":\"log in with password:"
                            + " Tr0ub4dor&3xyz\"}}}")), ToolChoice.AUTO)
                    .withResponseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\",\"description\":"
                            + "\"mysql -u root -pS3cretPw!\"}", false));
            deepseek.defaultReply(FakeReply.text("{}")); // an answer the schema accepts: answers are validated
            FallbackChain.Routed r = hearth.chat(request);
            assertThat(r.privacy().findings()).contains("GitHub token", "secret in an assignment",
                    "password on a command line");
            assertThat(deepseek.lastRequest().body()).doesNotContain(secret).doesNotContain("Tr0ub4dor&3xyz")
                    .doesNotContain("S3cretPw!").contains("[REDACTED GitHub token]");
        }
    }
}
