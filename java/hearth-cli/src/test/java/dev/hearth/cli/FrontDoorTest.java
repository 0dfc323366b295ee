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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model spec takes the runtime's one path (issue 14): a model named on the command line is the user's choice,
 * and still passes the privacy guard, the budget and the model host.
 */
class FrontDoorTest {
    private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String PROMPT = "Why does my deploy fail? My key is " + AWS_KEY + " and region eu-west-1.";

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = dir.resolve("front-door-tiny.gguf");
        SyntheticModel.tiny().write(model);
    }

    private static Cli.Outcome run(Map<String, String> settings, String... args) {
        return Cli.run(CleanEnvironment.in(dir, settings), args);
    }

    @Test
    void aNamedAnthropicModelGetsTheConversationWithTheCredentialRedacted() throws Exception {
        try (var fake = new FakeAnthropicServer("k-anthropic")) {
            fake.enqueue(FakeReply.text("Check the IAM role."));
            Cli.Outcome o = run(Map.of("ANTHROPIC_API_KEY", "k-anthropic", "ANTHROPIC_BASE_URL",
                    fake.baseUri().toString()), "chat", "--model", "anthropic:claude-sonnet-4-6", PROMPT);
            assertThat(o.code()).as(o.err()).isZero();
            String sent = fake.lastRequest().json().toString();
            assertThat(sent).doesNotContain(AWS_KEY).contains("[REDACTED AWS access key id]").contains("eu-west-1");
            assertThat(o.err()).contains("the request names anthropic:claude-sonnet-4-6").contains("privacy: redact");
        }
    }

    @Test
    void aNamedDeepSeekModelGetsTheConversationWithTheCredentialRedacted() throws Exception {
        try (var fake = new FakeOpenAiServer("k-deepseek", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.enqueue(FakeReply.text("Check the IAM role."));
            Cli.Outcome o = run(Map.of("DEEPSEEK_API_KEY", "k-deepseek", "DEEPSEEK_BASE_URL",
                    fake.baseUri().toString()), "chat", "--model", "deepseek:deepseek-flash", PROMPT);
            assertThat(o.code()).as(o.err()).isZero();
            String sent = fake.lastRequest().json().toString();
            assertThat(sent).doesNotContain(AWS_KEY).contains("[REDACTED AWS access key id]");
            assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("deepseek-flash");
        }
    }

    @Test
    void refusePrivacyKeepsTheConversationOnTheMachineEvenForANamedModel() throws Exception {
        try (var fake = new FakeAnthropicServer("k-anthropic")) {
            Cli.Outcome o = run(Map.of("ANTHROPIC_API_KEY", "k-anthropic", "ANTHROPIC_BASE_URL",
                    fake.baseUri().toString(), "HEARTH_PRIVACY", "refuse"), "chat", "--model",
                    "anthropic:claude-sonnet-4-6", PROMPT);
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("AWS access key id");
            assertThat(fake.received()).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void theBudgetRefusesANamedRemoteModelWhenTheMonthCannotPayForIt() throws Exception {
        try (var fake = new FakeAnthropicServer("k-anthropic")) {
            // a ledger of its own: the budget the environment names is kept in the ledger (budgets are durable)
            Cli.Outcome o = run(Map.of("ANTHROPIC_API_KEY", "k-anthropic", "ANTHROPIC_BASE_URL",
                    fake.baseUri().toString(), "HEARTH_MONTHLY_BUDGET_USD", "0.0001", "HEARTH_LEDGER_PATH",
                    dir.resolve("tight-budget-ledger.db").toString()), "chat", "--model",
                    "anthropic:claude-sonnet-4-6", "Hello");
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("monthly budget of $0.0001 is spent").contains("HEARTH_MONTHLY_BUDGET_USD");
            assertThat(fake.received()).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void aGgufPathIsLeasedFromTheHostAndShowsInPs() {
        Path runDir = dir.resolve("run-gguf");
        Cli.Outcome o = Cli.withInput(CleanEnvironment.in(dir, "HEARTH_RUN_DIR", runDir.toString()), "Hello\n/ps\n/exit\n",
                "chat", "--model", model.toString(), "--max-tokens", "4", "--ctx-size", "512");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("answered by front-door-tiny on this machine");
        assertThat(o.out()).containsPattern("front-door-tiny +cpu +0 GPU layers +[0-9.]+ MiB +0 leases +unloads at ");
    }

    @Test
    void aGgufPathThatCannotFitTheRamBudgetIsRefusedWithTheNumbers() {
        Map<String, String> settings = new HashMap<>(Map.of("HEARTH_RAM_BUDGET_GIB", "0.001"));
        Cli.Outcome o = run(settings, "chat", "--model", model.toString(), "--max-tokens", "4", "Hello");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("front-door-tiny").containsPattern("\\d+(\\.\\d+)? ?MiB");
        Cli.Outcome generate = run(settings, "generate", "--model", model.toString(), "--max-tokens", "4", "Hello");
        assertThat(generate.code()).isEqualTo(1);
        assertThat(generate.err()).containsPattern("\\d+(\\.\\d+)? ?MiB");
    }

    @Test
    void anUnknownSpecSaysWhatWouldHaveBeenAccepted() {
        Cli.Outcome o = run(Map.of(), "chat", "--model", "mistral:large", "Hello");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("no model \"mistral:large\"").contains("[anthropic, deepseek, openai]")
                .contains("onnx:DIR").contains("auto");
    }
}
