package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets, licence rules and session locks from the command line: route --explain and chat. */
class RoutingRulesCliTest {
    static final String CODE = "Write a Python function that parses ISO dates and add a unit test.";
    static final String QUICK = "What is the capital of Peru?";

    @TempDir
    Path dir;

    private Map<String, String> env(FakeAnthropicServer claude, FakeOpenAiServer deepseek, String... extra) {
        Map<String, String> env = new HashMap<>(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(),
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    @Test
    void routeExplainShowsThePresetAndWhatItChanged() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Cli.Outcome plain = Cli.run(env(claude, deepseek), "route", "--explain", "--rules", CODE);
            assertThat(plain.out()).contains("preset:     (none)").contains("decision:   remote claude-sonnet-4-6");
            Cli.Outcome cheap = Cli.run(env(claude, deepseek), "route", "--explain", "--rules", "--preset", "cheap",
                    CODE);
            assertThat(cheap.code()).isZero();
            assertThat(cheap.out()).contains("preset:     cheap: deepseek-flash goes first instead of claude-sonnet-4-6")
                    .contains("decision:   remote deepseek-flash");
            Cli.Outcome configured = Cli.run(env(claude, deepseek, "HEARTH_PRESET", "reliable"), "route", "--explain",
                    "--rules", "--json", CODE);
            assertThat(configured.out()).contains("\"preset\" : \"reliable\"").contains("\"tournament\" : true");
            Cli.Outcome unknown = Cli.run(env(claude, deepseek), "route", "--explain", "--rules", "--preset", "turbo",
                    CODE);
            assertThat(unknown.code()).isNotZero();
            assertThat(unknown.err()).contains("must be one of [fast, cheap, reliable, balanced], not \"turbo\"");
            assertThat(claude.received()).isEmpty();
        }
    }

    @Test
    void aForbiddenLicenceIsNotChosenAndANamedModelUnderItIsRefusedWithTheRule() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("nc.gguf"), w -> w.putString("general.license", "CC-BY-NC-4.0"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            deepseek.defaultReply(FakeReply.text("Lima."));
            Map<String, String> env = env(claude, deepseek, "LOCAL_MODEL_NAME", "nc", "HEARTH_LICENSE_LEVEL",
                    "open-weights");
            Cli.Outcome auto = Cli.run(env, "chat", "--max-tokens", "4", QUICK);
            assertThat(auto.code()).isZero();
            assertThat(auto.out()).contains("Lima.");
            assertThat(auto.err()).contains("answered by deepseek-flash");
            Cli.Outcome named = Cli.run(env, "chat", "--model", "nc", "--max-tokens", "4", QUICK);
            assertThat(named.code()).isNotZero();
            assertThat(named.err()).contains("nc is under the licence CC-BY-NC-4.0 (research)")
                    .contains("HEARTH_LICENSE_LEVEL=open-weights allows permissive and open-weights licences");
            Cli.Outcome explained = Cli.run(env, "route", "--explain", "--rules", "--model", "nc", QUICK);
            assertThat(explained.code()).isEqualTo(1);
            assertThat(explained.out()).contains("decision:   reject").contains("licence CC-BY-NC-4.0");
        }
    }

    @Test
    void aChatSessionKeepsItsFirstModelUnderAutoUntilReset() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.defaultReply(FakeReply.text("def parse(): pass"));
            Cli.Outcome o = Cli.withInput(env(claude, deepseek), QUICK + "\n" + CODE + "\n/reset\n" + CODE + "\n/exit\n",
                    "chat", "--session", "s1", "--max-tokens", "4");
            assertThat(o.code()).isZero();
            assertThat(o.err()).contains("[router: session s1 is locked to tiny")
                    .contains("[session s1's model lock released]");
            assertThat(o.err().split("answered by tiny", -1)).as("the quick turn and the locked code turn").hasSize(3);
            assertThat(o.err()).contains("answered by claude-sonnet-4-6");
            assertThat(claude.received()).as("only the turn after /reset").hasSize(1);
        }
    }
}
