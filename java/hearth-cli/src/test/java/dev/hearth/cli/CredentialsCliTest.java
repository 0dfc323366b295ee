package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a shell user types reaches the model as typed, the configuration file's strategy is honoured, and no key is
 * printed: each judged by what the loopback vendors received and what the CLI printed.
 */
class CredentialsCliTest {
    static final String KEY = "ds-cli-key-9e4f2a7c";

    @TempDir
    Path dir;

    Cli.Outcome chatWithDeepseek(FakeOpenAiServer fake, String key, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "chat";
        all[1] = "--model";
        all[2] = "deepseek:deepseek-flash";
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(CleanEnvironment.in(dir, "DEEPSEEK_API_KEY", key, "DEEPSEEK_BASE_URL", fake.baseUri().toString()),
                all);
    }

    @Test
    void aPromptThatStartsWithAnAtSignIsSentAsTypedNotReadAsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("hostname"), "contents-of-the-file");
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Cli.Outcome o = chatWithDeepseek(fake, KEY, "@" + file);
            assertThat(o.code()).as(o.err()).isZero();
            String sent = fake.lastRequest().json().path("messages").toString();
            assertThat(sent).contains("@" + file).doesNotContain("contents-of-the-file");
        }
    }

    @Test
    void theStrategyOfTheConfigurationFileRoutesChatWithoutLlmStrategy() throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), "strategy = \"claude_only\"\n");
        try (FakeAnthropicServer claude = new FakeAnthropicServer("claude-cli-key-1234")) {
            claude.enqueue(FakeReply.text("Routed by the file."));
            Cli.Outcome o = Cli.run(CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString(), "ANTHROPIC_API_KEY",
                    "claude-cli-key-1234", "ANTHROPIC_BASE_URL", claude.baseUri().toString()), "chat",
                    "Explain the trade-offs of event sourcing");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out().strip()).isEqualTo("Routed by the file.");
            assertThat(o.err()).contains("[router: claude_only");
            assertThat(claude.received()).hasSize(1);
        }
    }

    @Test
    void aKeyTheVendorEchoesIsNeverPrinted() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.enqueue(FakeReply.failing(Fault.status(401, "authentication_error", "invalid x-api-key: " + KEY)));
            Cli.Outcome o = chatWithDeepseek(fake, KEY, "Hello");
            assertThat(o.code()).isNotZero();
            assertThat(o.err()).contains("invalid x-api-key: [REDACTED API key]").doesNotContain(KEY);
            assertThat(o.out()).doesNotContain(KEY);
        }
    }

    @Test
    void aKeyReadWithALineEndWorksAndOneBrokenInsideIsRefusedNamingTheVariableNotTheKey() throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.enqueue(FakeReply.text("Hello back."));
            Cli.Outcome trimmed = chatWithDeepseek(fake, KEY + "\r", "Hello");
            assertThat(trimmed.code()).as(trimmed.err()).isZero();
            assertThat(trimmed.out().strip()).isEqualTo("Hello back.");
            Cli.Outcome broken = chatWithDeepseek(fake, "ds-cli\r\nkey-9e4f2a7c", "Hello");
            assertThat(broken.code()).isNotZero();
            assertThat(broken.err()).contains("DEEPSEEK_API_KEY has a space or a control character inside the key")
                    .doesNotContain("key-9e4f2a7c");
            assertThat(fake.received()).hasSize(1);
        }
    }
}
