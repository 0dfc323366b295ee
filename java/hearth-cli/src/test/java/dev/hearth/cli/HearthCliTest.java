package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.llama.Natives;
import dev.hearth.onnx.OnnxChatBackend;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.onnx.TinyDecoder;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CLI in process against a synthetic model, capturing stdout and stderr, each time with an environment built
 * from scratch ({@link CleanEnvironment}: run files and the model cache under this test's directory). What a random
 * model says is never asserted: only the structure of the output, and that it is the same every time.
 */
class HearthCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path model;

    /** The CLI with nothing but this test's directories set. */
    static Cli.Outcome run(String... args) {
        return Cli.run(CleanEnvironment.in(dir), args);
    }

    /** The CLI with this test's directories and {@code settings} set, nothing else. */
    static Cli.Outcome run(Map<String, String> settings, String... args) {
        return Cli.run(CleanEnvironment.in(dir, settings), args);
    }

    @BeforeAll
    static void writeModel() {
        model = dir.resolve("tiny.gguf");
        dev.hearth.testkit.SyntheticModel.tiny().withWeightType(dev.hearth.testkit.WeightType.Q8_0).write(model);
        assertThat(model).isNotEmptyFile();
    }

    /** A copy of the synthetic model as {@code tiny} in a cache directory of its own. */
    static Path cacheWithTiny(String name) throws Exception {
        Path cache = Files.createDirectories(dir.resolve(name));
        Files.copy(model, cache.resolve("tiny.gguf"), StandardCopyOption.REPLACE_EXISTING);
        return cache;
    }

    @Test
    void generateStreamsTextAndSaysTheModelIsSynthetic() {
        String[] args = {"generate", "--model", model.toString(), "--max-tokens", "12", "--ignore-eos",
                "--temperature", "0", "--ctx-size", "512", "Once upon a time"};
        Cli.Outcome o = run(args);
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("random weights").contains("12 generated").contains("finished: max_tokens");
        assertThat(run(args).out()).as("greedy decoding is deterministic").isEqualTo(o.out());
        Cli.Outcome eog = run("generate", "--model", model.toString(), "--max-tokens", "12", "--temperature", "0",
                "--ctx-size", "512", "Once upon a time");
        assertThat(eog.code()).as(eog.err()).isZero();
        Matcher stats = Pattern.compile("(\\d+) generated at .* finished: (\\w+)]").matcher(eog.err());
        assertThat(stats.find()).as(eog.err()).isTrue();
        assertThat(Integer.parseInt(stats.group(1))).isBetween(1, 12);
        assertThat(stats.group(2)).isIn("max_tokens", "end_of_generation");
        assertThat(o.out()).as("without --ignore-eos the same tokens come, up to an end token")
                .startsWith(eog.out().stripTrailing());
    }

    @Test
    void chatAnswersAOneShotMessage() {
        Cli.Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "8", "--ctx-size", "512",
                "--system", "Be brief.", "Hello there");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).containsPattern("answered by tiny on this machine; \\d+ input, [1-8] output tokens");
    }

    @Test
    void aMissingModelGetsAClearErrorAndANonZeroExit() {
        Cli.Outcome o = run("generate", "--model", dir.resolve("absent.gguf").toString(), "hi");
        assertThat(o.code()).isNotZero();
        assertThat(o.err()).contains("hearth:").contains("absent.gguf").contains("not a GGUF file");
    }

    @Test
    void theDefaultModelComesFromHearthModelInTheEnvironmentTheCliIsGiven() {
        Cli.Outcome o = run(Map.of("HEARTH_MODEL", model.toString()), "info");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("file:         " + model);
        Cli.Outcome absent = run(Map.of("HEARTH_MODEL", dir.resolve("nowhere.gguf").toString()), "info");
        assertThat(absent.code()).isEqualTo(2);
        assertThat(absent.err()).contains("nowhere.gguf");
    }

    @Test
    void aDamagedModelGetsTheReasonAndTheOffset() throws Exception {
        Path bad = dir.resolve("bad.gguf");
        byte[] bytes = Files.readAllBytes(model);
        bytes[0] = 'X';
        Files.write(bad, bytes);
        Cli.Outcome o = run("generate", "--model", bad.toString(), "hi");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("invalid model file").contains("at byte 0").contains("magic number");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"generate", "chat", "info", "models", "route", "ps", "embed"}) {
            Cli.Outcome o = run(command, "--help");
            assertThat(o.code()).as(command).isZero();
            assertThat(o.out()).contains("Usage: hearth " + command);
        }
        assertThat(run("--help").out()).contains("generate").contains("chat").contains("models").contains("route");
    }

    @Test
    void chatFollowsAJsonSchemaFile() throws Exception {
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"ok\"],\"additionalProperties\":false}");
        // the grammar allows at most ~130 characters (five runs of up to 23 spaces around {"ok":false}): any model
        // finishes the object within 200 tokens, and may end only once it is complete
        Cli.Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "200", "--ctx-size", "1024",
                "--json-schema", schema.toString(), "Is it ok?");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(JSON.readTree(o.out()).path("ok").isBoolean()).as(o.out()).isTrue();
    }

    @Test
    void theIssuesSchemaWithNumberBoundsGivesValidAnswersOnEverySeed() throws Exception {
        // llama.cpp's converter dropped the bounds of "score": seeds 2 and 3 printed -29 and 5
        String text = "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"happy\",\"sad\",\"neutral\"]},"
                + "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1}},\"required\":[\"mood\",\"score\"],"
                + "\"additionalProperties\":false}";
        Path schema = dir.resolve("mood.json");
        Files.writeString(schema, text);
        for (String seed : new String[] {"1", "2", "3", "4", "5"}) {
            Cli.Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "300", "--ctx-size", "1024",
                    "--seed", seed, "--json-schema", schema.toString(), "Describe a user.");
            assertThat(o.code()).as(o.err()).isZero();
            JsonNode answer = JSON.readTree(o.out());
            assertThat(answer.path("mood").asText()).isIn("happy", "sad", "neutral");
            assertThat(answer.path("score").decimalValue()).as(o.out())
                    .isBetween(java.math.BigDecimal.ZERO, java.math.BigDecimal.ONE);
        }
        Files.writeString(schema, "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"uniqueItems\":true}");
        Cli.Outcome refused = run("chat", "--model", model.toString(), "--json-schema", schema.toString(), "List.");
        assertThat(refused.code()).as(refused.err()).isNotZero();
        assertThat(refused.err()).contains("\"uniqueItems\" at #").contains("lenient").doesNotContain("Exception");
    }

    @Test
    void chatPrintsForcedToolCallsAsJson() throws Exception {
        Path tools = dir.resolve("tools.json");
        Files.writeString(tools, "[{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"description\":"
                + "\"Current time in a zone\",\"parameters\":{\"type\":\"object\",\"properties\":{\"zone\":{\"enum\":"
                + "[\"UTC\",\"CET\"]}},\"required\":[\"zone\"],\"additionalProperties\":false}}}]");
        Path template = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release())
                .resolve("src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja");
        // the required call is held to its grammar (whitespace runs included); 400 tokens leave it room to close
        Cli.Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "400", "--ctx-size", "2048",
                "--temperature", "0", "--tools", tools.toString(), "--tool-choice", "required",
                "--template", template.toString(), "What time is it?");
        assertThat(o.code()).as(o.err()).isZero();
        String last = o.out().strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode calls = JSON.readTree(last).path("tool_calls");
        assertThat(calls.size()).as(o.out()).isPositive();
        assertThat(calls.get(0).path("name").asText()).isEqualTo("get_time");
        assertThat(calls.get(0).path("arguments").path("zone").asText()).isIn("UTC", "CET");
    }

    @Test
    void infoShowsTheShape() {
        Cli.Outcome o = run("info", "--model", model.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("2 layers, width 64").contains("vocabulary 1024");
    }

    @Test
    void chatWithARemoteModelStreamsTheVendorsAnswerAndReportsUsageAndCost() throws Exception {
        try (var fake = new FakeAnthropicServer("cli-test-key")) {
            fake.enqueue(FakeReply.text("Bonjour from the fake Claude.").withUsage(new Usage(1000, 6, 0, 0, 0)));
            Cli.Outcome o = run(Map.of("ANTHROPIC_API_KEY", "cli-test-key", "ANTHROPIC_BASE_URL", fake.baseUri().toString()),
                    "chat", "--model", "anthropic:claude-sonnet-4-6", "--system", "Be brief.", "Hello");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out().strip()).isEqualTo("Bonjour from the fake Claude.");
            // 1000 x $3/M + 6 x $15/M
            assertThat(o.err()).contains("1000 input").contains("6 output").contains("$0.003090");
            assertThat(FakeAnthropicServer.systemText(fake.lastRequest().json())).isEqualTo("Be brief.");
            assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("claude-sonnet-4-6");
        }
    }

    @Test
    void aRemoteModelsReasoningGoesToStderrAndItsAnswerToStdout() throws Exception {
        try (var fake = new FakeOpenAiServer("ds-key", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.enqueue(FakeReply.text("Forty-two.").withReasoning("Six times seven, checked twice."));
            Cli.Outcome o = run(Map.of("DEEPSEEK_API_KEY", "ds-key", "DEEPSEEK_BASE_URL", fake.baseUri().toString()),
                    "chat", "--model", "deepseek:deepseek-v4-pro", "What is six times seven?");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out().strip()).isEqualTo("Forty-two.");
            assertThat(o.err()).contains("Six times seven, checked twice.");
            assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("deepseek-v4-pro");
        }
    }

    @Test
    void chatWithAnOnnxModelDirectoryAnswersInItsFormatAndRefusesToolsClearly() throws Exception {
        Path onnx = new TinyDecoder(2).writeChatModel(dir.resolve("tiny-onnx"));
        Cli.Outcome o = run("chat", "--model", "onnx:" + onnx, "--temperature", "0", "--max-tokens", "6", "w3 w7");
        assertThat(o.code()).as(o.err()).isZero();
        String direct;
        try (OnnxChatBackend alone = OnnxChatBackend.fromDirectory("tiny-onnx", onnx, Optional.empty(), 1)) {
            direct = alone.chat(ChatRequest.of("tiny-onnx", List.of(ChatMessage.user("w3 w7"))).withTemperature(0.0)
                    .withMaxTokens(6)).content();
        }
        assertThat(o.out().strip()).as("what the model generates for that conversation, whatever it is")
                .isEqualTo(direct.strip());
        assertThat(o.err()).containsPattern("answered by onnx:tiny-onnx on this machine; 7 input, [1-6] output tokens");
        Path tools = dir.resolve("look.json");
        Files.writeString(tools, "[{\"type\": \"function\", \"function\": {\"name\": \"look\", \"parameters\": {}}}]");
        Cli.Outcome refused = run("chat", "--model", "onnx:" + onnx, "--tools", tools.toString(), "w3");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("takes no tools");
        Cli.Outcome missing = run("chat", "--model", "onnx:" + dir.resolve("nowhere"), "w3");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no model \"onnx:" + dir.resolve("nowhere")).contains("KIND:PATH");
    }

    @Test
    void chatWithARemoteModelAndNoKeySaysWhichVariableToSet() {
        Cli.Outcome o = run("chat", "--model", "deepseek:deepseek-flash", "Hello");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("DEEPSEEK_API_KEY");
    }

    @Test
    void routeExplainPrintsTheDecisionAsJsonWithoutSendingAnything() throws Exception {
        try (var fake = new FakeAnthropicServer("k")) {
            var env = Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k", "ANTHROPIC_BASE_URL",
                    fake.baseUri().toString());
            // no programming keyword the rules know: the meaning decides
            Cli.Outcome code = run(env, "route", "--explain", "--json",
                    "Implement the visitor pattern in C# for an expression tree");
            assertThat(code.code()).as(code.err()).isZero();
            JsonNode json = JSON.readTree(code.out());
            assertThat(json.path("taskClass").asText()).isEqualTo("code");
            assertThat(json.path("model").asText()).isEqualTo("claude-sonnet-4-6");
            assertThat(json.path("reason").asText()).contains("hybrid");
            assertThat(json.path("fallbacks").get(0).asText()).isEqualTo("qwen2.5-0.5b-instruct");
            assertThat(json.path("evidence").toString()).as("the semantic classifier's evidence").contains("nearest example");
            assertThat(fake.received()).as("nothing was sent").isEmpty();
        }
        Cli.Outcome local = run(Map.of("LLM_STRATEGY", "local_only"), "route", "--explain", "--rules", "Hello");
        assertThat(local.out()).contains("greeting").doesNotContain("nearest example");
        assertThat(local.out()).contains("decision:   local qwen2.5-0.5b-instruct");
        Cli.Outcome bad = run(Map.of("LLM_STRATEGY", "fastest"), "route", "--explain", "Hello");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown strategy \"fastest\"");
    }

    @Test
    void chatUsesTheRouterWhenAStrategyIsSet() throws Exception {
        Path cache = cacheWithTiny("routed-cache");
        Cli.Outcome local = run(Map.of("LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString()), "chat", "--max-tokens", "6", "Hello there");
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(local.err()).contains("[router: local_only").contains("answered by tiny on this machine");
        try (var fake = new FakeAnthropicServer("cli-key")) {
            fake.enqueue(FakeReply.text("Routed to the fake Claude.").withReasoning("Weigh the log against snapshots."));
            Cli.Outcome remote = run(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "cli-key",
                    "ANTHROPIC_BASE_URL", fake.baseUri().toString(), "MODEL_CACHE_DIR", cache.toString()),
                    "chat", "Explain the trade-offs of event sourcing");
            assertThat(remote.code()).as(remote.err()).isZero();
            assertThat(remote.out().strip()).as("the answer alone on stdout").isEqualTo("Routed to the fake Claude.");
            assertThat(remote.err()).contains("Weigh the log against snapshots.").contains("sent to anthropic");
        }
    }

    @Test
    void anInteractiveRoutedChatShowsItsLoadedModelsWithPs() throws Exception {
        Path cache = cacheWithTiny("ps-cache");
        Path runDir = dir.resolve("run-interactive");
        Cli.Outcome o = Cli.withInput(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString(), "HEARTH_RUN_DIR", runDir.toString()), "Hello\n/ps\n/exit\n",
                "chat", "--max-tokens", "4");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).containsPattern("tiny +cpu +0 GPU layers +[0-9.]+ MiB +0 leases +unloads at ");
        // the session is over, so nothing is loaded any more
        assertThat(run(Map.of("HEARTH_RUN_DIR", runDir.toString()), "ps").out())
                .contains("no Hearth process has a model loaded");
    }

    @Test
    void psShowsWhatARunningHearthHasLoaded() throws Exception {
        Path cache = cacheWithTiny("ps2-cache");
        Path runDir = dir.resolve("run-ps");
        var env = CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString(), "HEARTH_RUN_DIR", runDir.toString());
        try (var hearth = dev.hearth.runtime.Hearth.fromEnvironment(env)) {
            hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Hi"))).withMaxTokens(4));
            hearth.host().loaded(); // the host has published its state by the time this returns
            Cli.Outcome ps = run(Map.of("HEARTH_RUN_DIR", runDir.toString()), "ps");
            assertThat(ps.out()).contains("MODEL").contains(String.valueOf(ProcessHandle.current().pid()))
                    .containsPattern("tiny +cpu +0 +[0-9.]+ MiB +0 +\\d{4}-\\d\\d-\\d\\dT.* \\(keep-alive 5m\\)");
        }
        assertThat(run(Map.of("HEARTH_RUN_DIR", runDir.toString()), "ps").out())
                .contains("no Hearth process has a model loaded");
    }

    @Test
    void embedPrintsASummaryOrTheWholeVectorAsJson() throws Exception {
        Cli.Outcome summary = run("embed", "The cat sleeps on the sofa.", "A cat naps on the couch.");
        assertThat(summary.code()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("384 dimensions, norm 1.0000").containsPattern("cosine\\(1, 2\\) = 0\\.[5-9]");
        Cli.Outcome json = run("embed", "--json", "hello");
        JsonNode node = JSON.readTree(json.out());
        assertThat(node.get(0).path("embedding")).hasSize(384);
        assertThat(node.get(0).path("truncated").asBoolean()).isFalse();
    }
}
