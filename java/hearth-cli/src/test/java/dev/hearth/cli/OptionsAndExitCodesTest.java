package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's "correct answers and exit codes" and its option messages: every option is checked before anything is
 * loaded or sent, with its name in the message; every failure exits non-zero; a local model that cannot run lets the
 * chain fall back.
 */
class OptionsAndExitCodesTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = dir.resolve("opts-tiny.gguf");
        SyntheticModel.tiny().write(model); // trained for 2048 tokens
    }

    private static Cli.Outcome run(Map<String, String> settings, String... args) {
        return Cli.run(CleanEnvironment.in(dir, settings), args);
    }

    /** Item 9: the local model is missing, damaged or too big: the chain goes on to the remote one. */
    @Test
    void localFallbackFallsBackWhenTheLocalModelCannotRun() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("fallback-cache"));
        Files.writeString(cache.resolve("damaged.gguf"), "not a model");
        Files.copy(model, cache.resolve("big.gguf"));
        Map<String, Map<String, String>> cases = Map.of(
                "missing", Map.of("LOCAL_MODEL_NAME", "absent"),
                "damaged", Map.of("LOCAL_MODEL_NAME", "damaged"),
                "over the memory budget", Map.of("LOCAL_MODEL_NAME", "big", "HEARTH_RAM_BUDGET_GIB", "0.001"));
        for (var c : cases.entrySet()) {
            try (var fake = new FakeAnthropicServer("k-fb")) {
                fake.enqueue(FakeReply.text("Answered by the fallback."));
                Map<String, String> env = new HashMap<>(c.getValue());
                env.putAll(Map.of("LLM_STRATEGY", "local_fallback", "HEARTH_ALLOW_EXTERNAL", "true",
                        "ANTHROPIC_API_KEY", "k-fb", "ANTHROPIC_BASE_URL", fake.baseUri().toString(),
                        "MODEL_CACHE_DIR", cache.toString()));
                Cli.Outcome o = run(env, "chat", "Hello there");
                assertThat(o.code()).as(c.getKey() + ": " + o.err()).isZero();
                assertThat(o.out().strip()).as(c.getKey()).isEqualTo("Answered by the fallback.");
                assertThat(o.err()).as(c.getKey()).contains("[fallback: " + env.get("LOCAL_MODEL_NAME") + " -> ");
            }
        }
    }

    /** Item 10: more threads than cores is refused, from the option and from the environment. */
    @Test
    void moreThreadsThanCoresAreRefusedByName() {
        Cli.Outcome o = run(Map.of(), "generate", "--model", model.toString(), "-t", String.valueOf(CORES + 1), "hi");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--threads must be from 1 to " + CORES);
        Cli.Outcome env = run(Map.of("HEARTH_THREADS", "100000"), "generate", "--model", model.toString(), "hi");
        assertThat(env.code()).isNotZero();
        assertThat(env.err()).contains("HEARTH_THREADS must be from 1 to " + CORES);
        Cli.Outcome word = run(Map.of("HEARTH_THREADS", "abc"), "generate", "--model", model.toString(), "hi");
        assertThat(word.err()).contains("HEARTH_THREADS must be a whole number of threads from 1 to " + CORES)
                .doesNotContain("For input string");
    }

    /** Item 11: failures exit non-zero. */
    @Test
    void aPromptOverTheContextAndAnEmptyPromptExitNonZero() throws Exception {
        Cli.Outcome over = run(Map.of(), "chat", "--model", model.toString(), "--ctx-size", "256", "-n", "8",
                "word ".repeat(400));
        assertThat(over.code()).as(over.err()).isEqualTo(1);
        assertThat(over.err()).contains("hearth:");
        try (var fake = new FakeOpenAiServer("k-ds", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Cli.Outcome empty = run(Map.of("DEEPSEEK_API_KEY", "k-ds", "DEEPSEEK_BASE_URL", fake.baseUri().toString()),
                    "chat", "--model", "deepseek:deepseek-flash", "  ");
            assertThat(empty.code()).isEqualTo(2);
            assertThat(empty.err()).contains("the MESSAGE is empty");
            assertThat(fake.received()).isEmpty();
        }
    }

    /** Item 13: one check of sampling parameters, for every backend, before anything is sent. */
    @Test
    void samplingParametersAreCheckedTheSameForEveryBackend() throws Exception {
        try (var fake = new FakeOpenAiServer("k-ds", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Map<String, String> env = Map.of("DEEPSEEK_API_KEY", "k-ds", "DEEPSEEK_BASE_URL", fake.baseUri().toString());
            for (String bad : new String[] {"NaN", "-1", "2.5", "Infinity"}) {
                Cli.Outcome remote = run(env, "chat", "--model", "deepseek:deepseek-flash", "--temperature", bad, "Hi");
                assertThat(remote.code()).as(bad).isEqualTo(2);
                assertThat(remote.err()).as(bad).contains("--temperature must be between 0 (greedy) and 2");
                Cli.Outcome local = run(Map.of(), "generate", "--model", model.toString(), "--temperature", bad, "Hi");
                assertThat(local.code()).as(bad).isEqualTo(2);
                assertThat(local.err()).as(bad).contains("--temperature must be between 0 (greedy) and 2");
            }
            assertThat(fake.received()).isEmpty();
        }
        assertThat(run(Map.of(), "generate", "--model", model.toString(), "--top-p", "0", "Hi").err())
                .contains("--top-p must be above 0 and at most 1");
        assertThat(run(Map.of(), "generate", "--model", model.toString(), "-n", "0", "Hi").err())
                .contains("--max-tokens must be from 1");
    }

    /** Item 15: context sizes are checked before loading, by name, against the model's own limit. */
    @Test
    void contextSizesAreCheckedBeforeLoadingAgainstTheModel() {
        for (String bad : new String[] {"2147483647", "-1", "1", "255"}) {
            Cli.Outcome o = run(Map.of(), "generate", "--model", model.toString(), "--ctx-size", bad, "hi");
            assertThat(o.code()).as(bad).isEqualTo(2);
            assertThat(o.err()).as(bad).contains("--ctx-size must be 0").doesNotContain("bad_alloc");
        }
        Cli.Outcome tooBig = run(Map.of(), "generate", "--model", model.toString(), "--ctx-size", "4096", "hi");
        assertThat(tooBig.code()).isNotZero();
        assertThat(tooBig.err()).contains("a context of 4096 tokens is more than opts-tiny was trained for (2048)");
    }

    /** The option messages: each names its option and says what is wrong, never a bare OS or Java internal. */
    @Test
    void badFilesAndChoicesAreNamedByTheirOption() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        String[][] cases = {
                {"--json-schema", dir.resolve("absent.json").toString(), "--json-schema", "no such file"},
                {"--json-schema", folder.toString(), "--json-schema", "is a directory"},
                {"--json-schema", latin1.toString(), "--json-schema", "is not UTF-8 text"},
                {"--tools", folder.toString(), "--tools", "is a directory"},
                {"--tool-choice", "bogus", "--tool-choice must be auto, required or none", "bogus"}};
        for (String[] c : cases) {
            Cli.Outcome o = run(Map.of(), "chat", "--model", model.toString(), c[0], c[1], "Hello");
            assertThat(o.code()).as(String.join(" ", c)).isEqualTo(2);
            assertThat(o.err()).as(String.join(" ", c)).contains(c[2]).contains(c[3])
                    .doesNotContain("No enum constant").doesNotContain("Input length");
        }
    }

    /** With several vendors failing, each one's error is shown, not only the last one's. */
    @Test
    void everyFailingModelOfTheChainIsReported() throws Exception {
        try (var claude = new FakeAnthropicServer("k-a");
             var deepseek = new FakeOpenAiServer("k-d", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.defaultReply(FakeReply.failing(Fault.status(529, "overloaded_error", "Claude is overloaded")));
            deepseek.defaultReply(FakeReply.failing(Fault.status(500, "server_error", "DeepSeek broke")));
            Cli.Outcome o = run(Map.of("LLM_STRATEGY", "remote_only", "HEARTH_ALLOW_EXTERNAL", "true",
                    "ANTHROPIC_API_KEY", "k-a", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                    "DEEPSEEK_API_KEY", "k-d", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString(),
                    "LOCAL_LLM_ENABLED", "false"), "chat", "Explain event sourcing in depth");
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("overloaded").contains("500");
        }
    }
}
