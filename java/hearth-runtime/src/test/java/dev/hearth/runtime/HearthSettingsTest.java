package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.router.*;
import dev.hearth.api.ChatRequest;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.RecordingSink;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings the README names, each through the facade as users set it (environment variables, or hearth.toml),
 * judged by what the loopback vendors recorded: HEARTH_PRIVACY, CLAUDE_MODEL, REASONING_MODEL, HEARTH_CLASSIFIER, and
 * the vendors' reasoning passed through to the caller.
 */
class HearthSettingsTest {
    static final String KEY = "settings-test-key";
    static final String SECRET = "sk-ant-api03-Qk3vN9xT2bLw7YpR4mZs8HcJ1dFg6UeA0oKiWqE5rTy";
    static final ChatRequest LEAKY = ChatRequest.of("auto", List.of(ChatMessage.user("Why does my client fail with key "
            + SECRET + "? Analyze the trade-offs of rotating it."))).withMaxTokens(64);
    static final ChatRequest MATH = ChatRequest.of("auto", List.of(ChatMessage.user("Solve for x: 3x + 7 = 22")));
    /** No programming keyword the rules know: only its meaning says it is code. */
    static final ChatRequest CODE_BY_MEANING = ChatRequest.of("auto",
            List.of(ChatMessage.user("Implement the visitor pattern in C# for an expression tree"))).withMaxTokens(4);

    @TempDir
    Path dir;

    Hearth claudeOnly(FakeAnthropicServer fake, String... settings) {
        Map<String, String> env = new java.util.HashMap<>(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                "ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", fake.baseUri().toString()));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return Hearth.fromEnvironment(env);
    }

    @Test
    void hearthPrivacyRedactsByDefaultAndWhenAskedAndTheVendorNeverSeesTheCredential() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY)) {
            for (String[] settings : List.of(new String[0], new String[] {"HEARTH_PRIVACY", "redact"})) {
                try (Hearth hearth = claudeOnly(fake, settings)) {
                    FallbackChain.Routed r = hearth.chat(LEAKY);
                    assertThat(r.privacy().action()).isEqualTo(PrivacyGuard.Policy.REDACT);
                    assertThat(r.privacy().findings()).containsExactly("Anthropic API key");
                    assertThat(fake.lastRequest().body()).doesNotContain(SECRET).contains("[REDACTED Anthropic API key]");
                }
            }
            assertThat(fake.received()).hasSize(2);
        }
    }

    @Test
    void hearthPrivacyRefuseSendsNothing() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY); Hearth hearth = claudeOnly(fake, "HEARTH_PRIVACY",
                "refuse")) {
            assertThatThrownBy(() -> hearth.chat(LEAKY)).isInstanceOf(PrivacyRefusedException.class)
                    .hasMessageContaining("Anthropic API key").hasMessageContaining("nothing was sent");
            assertThat(fake.received()).isEmpty();
            assertThat(hearth.chat(MATH).sentTo()).as("a request without credentials still goes").isEqualTo("anthropic");
        }
    }

    @Test
    void hearthPrivacyAllowSendsTheCredentialUnredactedAndSaysSo() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY); Hearth hearth = claudeOnly(fake, "HEARTH_PRIVACY",
                "allow")) {
            FallbackChain.Routed r = hearth.chat(LEAKY);
            assertThat(fake.lastRequest().body()).contains(SECRET).doesNotContain("REDACTED");
            assertThat(r.privacy().action()).isEqualTo(PrivacyGuard.Policy.ALLOW);
            assertThat(r.privacy().findings()).containsExactly("Anthropic API key");
        }
    }

    @Test
    void hearthPrivacyFromHearthTomlAndAMistakeNamesTheChoices() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY)) {
            Path toml = Files.writeString(dir.resolve("hearth.toml"), "privacy = \"allow\"\n");
            try (Hearth hearth = claudeOnly(fake, "HEARTH_CONFIG", toml.toString())) {
                hearth.chat(LEAKY);
                assertThat(fake.lastRequest().body()).contains(SECRET);
            }
            try (Hearth hearth = claudeOnly(fake, "HEARTH_CONFIG", toml.toString(), "HEARTH_PRIVACY", "redact")) {
                hearth.chat(LEAKY);
                assertThat(fake.lastRequest().body()).as("the environment wins over the file").doesNotContain(SECRET);
            }
            assertThatThrownBy(() -> claudeOnly(fake, "HEARTH_PRIVACY", "mask"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HEARTH_PRIVACY must be redact, refuse or allow");
        }
    }

    @Test
    void claudeModelNamesTheModelClaudeRequestsAskForAndItsReasoningComesBack() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY);
             Hearth hearth = claudeOnly(fake, "CLAUDE_MODEL", "claude-opus-4-1")) {
            fake.enqueue(FakeReply.text("x = 5").withReasoning("Subtract 7, divide by 3."));
            RecordingSink sink = new RecordingSink();
            FallbackChain.Routed r = hearth.stream(MATH, sink);
            assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("claude-opus-4-1");
            assertThat(r.answeredBy().id()).isEqualTo("claude-opus-4-1");
            assertThat(r.labels()).contains("sent to anthropic (claude-opus-4-1)");
            assertThat(r.response().reasoning()).isEqualTo("Subtract 7, divide by 3.");
            assertThat(sink.reasoning()).isEqualTo("Subtract 7, divide by 3.");
            assertThat(sink.content()).isEqualTo("x = 5");
        }
    }

    @Test
    void reasoningModelNamesTheModelDeepThinkingAndMathGoToAndItsReasoningComesBack() throws Exception {
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "remote_only",
                     "DEEPSEEK_API_KEY", KEY, "DEEPSEEK_BASE_URL", deepseek.baseUri().toString(),
                     "REASONING_MODEL", "deepseek-reasoner-x"))) {
            deepseek.enqueue(FakeReply.text("x = 5").withReasoning("3x = 15, so x = 5."));
            RecordingSink sink = new RecordingSink();
            FallbackChain.Routed r = hearth.stream(MATH, sink);
            assertThat(r.decision().classification().taskClass()).isEqualTo(TaskClass.MATH);
            assertThat(deepseek.lastRequest().json().path("model").asText()).isEqualTo("deepseek-reasoner-x");
            assertThat(r.answeredBy().id()).isEqualTo("deepseek-reasoner-x");
            assertThat(r.response().reasoning()).isEqualTo("3x = 15, so x = 5.");
            assertThat(sink.reasoning()).isEqualTo("3x = 15, so x = 5.");
            assertThat(r.labels()).contains("math answer: check the steps and the arithmetic before relying on it");
        }
    }

    @Test
    void hearthClassifierSemanticSendsWhatMeansCodeToClaudeWhereTheRulesKeepItLocal() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        try (FakeAnthropicServer fake = new FakeAnthropicServer(KEY)) {
            try (Hearth rules = claudeOnly(fake, "LLM_STRATEGY", "hybrid", "LOCAL_MODEL_NAME", "tiny")) {
                FallbackChain.Routed r = rules.chat(CODE_BY_MEANING);
                assertThat(r.decision().classification().taskClass()).as("the default: the rules")
                        .isNotEqualTo(TaskClass.CODE);
                assertThat(r.answeredBy().id()).isEqualTo("tiny");
                assertThat(fake.received()).isEmpty();
            }
            try (Hearth rules = claudeOnly(fake, "LLM_STRATEGY", "hybrid", "LOCAL_MODEL_NAME", "tiny",
                    "HEARTH_CLASSIFIER", "rules")) {
                assertThat(rules.explain(CODE_BY_MEANING).chain().getFirst().id()).isEqualTo("tiny");
            }
            try (Hearth semantic = claudeOnly(fake, "LLM_STRATEGY", "hybrid", "LOCAL_MODEL_NAME", "tiny",
                    "HEARTH_CLASSIFIER", "semantic")) {
                FallbackChain.Routed r = semantic.chat(CODE_BY_MEANING);
                assertThat(r.decision().classification().taskClass()).isEqualTo(TaskClass.CODE);
                assertThat(r.decision().classification().evidence()).anyMatch(e -> e.contains("nearest example"));
                assertThat(r.sentTo()).isEqualTo("anthropic");
                assertThat(fake.received()).hasSize(1);
            }
            assertThatThrownBy(() -> claudeOnly(fake, "HEARTH_CLASSIFIER", "neural"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HEARTH_CLASSIFIER must be rules or semantic");
        }
    }
}
