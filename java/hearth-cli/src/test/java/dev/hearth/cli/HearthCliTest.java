package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in process against a synthetic model, capturing stdout and stderr. */
class HearthCliTest {
    @TempDir
    static Path dir;
    static Path model;

    record Outcome(int code, String out, String err) {
    }

    static synchronized Outcome run(String... args) {
        return run(System.getenv(), args);
    }

    static synchronized Outcome run(java.util.Map<String, String> env, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = HearthCli.run(env, args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void writeModel() {
        model = dir.resolve("tiny.gguf");
        Outcome o = run("synthetic", "--preset", "tiny", "--type", "Q8_0", "--output", model.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(model).isNotEmptyFile();
    }

    @Test
    void generateStreamsTextAndSaysTheModelIsSynthetic() {
        Outcome o = run("generate", "--model", model.toString(), "--max-tokens", "12", "--temperature", "0",
                "--ctx-size", "512", "--threads", "2", "Once upon a time");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().strip()).isNotEmpty();
        assertThat(o.err()).contains("random weights").contains("12 generated").contains("finished: max_tokens");
        Outcome again = run("generate", "--model", model.toString(), "--max-tokens", "12", "--temperature", "0",
                "--ctx-size", "512", "--threads", "2", "Once upon a time");
        assertThat(again.out()).isEqualTo(o.out());
    }

    @Test
    void chatAnswersAOneShotMessage() {
        Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "8", "--ctx-size", "512",
                "--system", "Be brief.", "Hello there");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("prompt tokens");
    }

    @Test
    void aMissingModelGetsAClearErrorAndANonZeroExit() {
        Outcome o = run("generate", "--model", dir.resolve("absent.gguf").toString(), "hi");
        assertThat(o.code()).isNotZero();
        assertThat(o.err()).contains("hearth:").contains("absent.gguf").contains("--model");
    }

    @Test
    void aDamagedModelGetsTheReasonAndTheOffset() throws Exception {
        Path bad = dir.resolve("bad.gguf");
        byte[] bytes = Files.readAllBytes(model);
        bytes[0] = 'X';
        Files.write(bad, bytes);
        Outcome o = run("generate", "--model", bad.toString(), "hi");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("invalid model file").contains("at byte 0").contains("magic number");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"generate", "chat", "info", "synthetic"}) {
            Outcome o = run(command, "--help");
            assertThat(o.code()).isZero();
            assertThat(o.out()).contains("Usage: hearth " + command);
        }
        assertThat(run("--help").out()).contains("generate").contains("chat");
    }

    @Test
    void chatFollowsAJsonSchemaFile() throws Exception {
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"ok\"],\"additionalProperties\":false}");
        Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "40", "--ctx-size", "512",
                "--json-schema", schema.toString(), "Is it ok?");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.out()).path("ok").isBoolean()).isTrue();
    }

    @Test
    void chatPrintsForcedToolCallsAsJson() throws Exception {
        Path tools = dir.resolve("tools.json");
        Files.writeString(tools, "[{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"description\":"
                + "\"Current time in a zone\",\"parameters\":{\"type\":\"object\",\"properties\":{\"zone\":{\"enum\":"
                + "[\"UTC\",\"CET\"]}},\"required\":[\"zone\"],\"additionalProperties\":false}}}]");
        Path template = dev.hearth.llama.Natives.hearthHome().resolve("llama.cpp").resolve(dev.hearth.llama.Natives.release())
                .resolve("src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja");
        Outcome o = run("chat", "--model", model.toString(), "--max-tokens", "120", "--ctx-size", "4096",
                "--temperature", "0", "--tools", tools.toString(), "--tool-choice", "required",
                "--template", template.toString(), "What time is it?");
        assertThat(o.code()).as(o.err()).isZero();
        String last = o.out().strip().lines().reduce((a, b) -> b).orElse("");
        var calls = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).path("tool_calls");
        assertThat(calls.size()).as(o.out()).isPositive();
        assertThat(calls.get(0).path("name").asText()).isEqualTo("get_time");
        assertThat(calls.get(0).path("arguments").path("zone").asText()).isIn("UTC", "CET");
    }

    @Test
    void infoShowsTheShape() {
        Outcome o = run("info", "--model", model.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("2 layers, width 64").contains("vocabulary 1024");
    }

    @Test
    void chatWithARemoteModelStreamsTheVendorsAnswerAndReportsUsageAndCost() throws Exception {
        try (var fake = new dev.hearth.testkit.upstream.FakeAnthropicServer("cli-test-key")) {
            fake.enqueue(dev.hearth.testkit.upstream.FakeReply.text("Bonjour from the fake Claude.")
                    .withUsage(new dev.hearth.api.Usage(1000, 6, 0, 0, 0)));
            var env = java.util.Map.of("ANTHROPIC_API_KEY", "cli-test-key", "ANTHROPIC_BASE_URL", fake.baseUri().toString());
            Outcome o = run(env, "chat", "--model", "anthropic:claude-sonnet-4-6", "--system", "Be brief.", "Hello");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out().strip()).isEqualTo("Bonjour from the fake Claude.");
            // 1000 x $3/M + 6 x $15/M
            assertThat(o.err()).contains("1000 input").contains("6 output").contains("$0.003090");
            assertThat(dev.hearth.testkit.upstream.FakeAnthropicServer.systemText(fake.lastRequest().json()))
                    .isEqualTo("Be brief.");
            assertThat(fake.lastRequest().json().path("model").asText()).isEqualTo("claude-sonnet-4-6");
        }
    }

    @Test
    void chatWithAnOnnxModelDirectoryAnswersInItsFormatAndRefusesToolsClearly() throws Exception {
        Path onnx = new dev.hearth.testkit.onnx.TinyDecoder(2).writeChatModel(dir.resolve("tiny-onnx"));
        Outcome o = run("chat", "--model", "onnx:" + onnx, "--temperature", "0", "--max-tokens", "6", "w3 w7");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().strip()).isNotEmpty().matches("(w\\d+ ?)+");
        assertThat(o.err()).contains("onnx:tiny-onnx (CHATML): 7 prompt");
        Path tools = dir.resolve("tools.json");
        Files.writeString(tools, "[{\"type\": \"function\", \"function\": {\"name\": \"look\", \"parameters\": {}}}]");
        Outcome refused = run("chat", "--model", "onnx:" + onnx, "--tools", tools.toString(), "w3");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("takes no tools");
        Outcome missing = run("chat", "--model", "onnx:" + dir.resolve("nowhere"), "w3");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("needs a directory with model.onnx and tokenizer.json");
    }

    @Test
    void chatWithARemoteModelAndNoKeySaysWhichVariableToSet() {
        Outcome o = run(java.util.Map.of(), "chat", "--model", "deepseek:deepseek-flash", "Hello");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("DEEPSEEK_API_KEY");
    }

    @Test
    void modelsPullListInfoAndRemoveAModelFromALoopbackServer() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        Path cache = dir.resolve("cache");
        var env = java.util.Map.of("MODEL_CACHE_DIR", cache.toString());
        try (var server = new dev.hearth.testkit.http.LoopbackHttpServer(ex -> {
            ex.head(200, java.util.Map.of(), bytes.length);
            ex.write(bytes, 0, bytes.length);
        })) {
            String url = server.uri().resolve("/tiny.gguf").toString();
            Outcome wrong = run(env, "models", "pull", "tiny", "--url", url, "--sha256", "ab".repeat(32));
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).contains("nothing was replaced");
            Outcome pulled = run(env, "models", "pull", "tiny", "--url", url, "--sha256", sha256);
            assertThat(pulled.code()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("sha256 " + sha256).contains("(verified)");
            assertThat(pulled.err()).contains("100%");
        }
        Outcome list = run(env, "models", "list");
        assertThat(list.out()).contains("tiny").contains(sha256);
        Outcome info = run(env, "models", "info", "tiny");
        assertThat(info.out()).contains("architecture:  llama").contains("layers:        2");
        assertThat(run(env, "models", "rm", "tiny").out()).contains("removed tiny");
        assertThat(run(env, "models", "list").out()).doesNotContain(sha256);
    }

    @Test
    void routeExplainPrintsTheDecisionAsJsonWithoutSendingAnything() throws Exception {
        var env = java.util.Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k");
        // no programming keyword the rules know: the meaning decides
        Outcome code = run(env, "route", "--explain", "--json", "Implement the visitor pattern in C# for an expression tree");
        assertThat(code.code()).as(code.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(code.out());
        assertThat(json.path("taskClass").asText()).isEqualTo("code");
        assertThat(json.path("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(json.path("reason").asText()).contains("hybrid");
        assertThat(json.path("fallbacks").get(0).asText()).isEqualTo("qwen2.5-0.5b-instruct");
        assertThat(json.path("evidence").toString()).as("the semantic classifier's evidence").contains("nearest example");
        Outcome local = run(java.util.Map.of("LLM_STRATEGY", "local_only"), "route", "--explain", "--rules", "Hello");
        assertThat(local.out()).contains("greeting").doesNotContain("nearest example");
        assertThat(local.out()).contains("decision:   local qwen2.5-0.5b-instruct");
        Outcome bad = run(java.util.Map.of("LLM_STRATEGY", "fastest"), "route", "--explain", "Hello");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown strategy \"fastest\"");
    }

    @Test
    void chatUsesTheRouterWhenAStrategyIsSet() throws Exception {
        Path cache = dir.resolve("routed-cache");
        Files.createDirectories(cache);
        Files.copy(model, cache.resolve("tiny.gguf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Outcome local = run(java.util.Map.of("LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString()), "chat", "--max-tokens", "6", "Hello there");
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(local.err()).contains("[router: local_only").contains("answered by tiny on this machine");
        try (var fake = new dev.hearth.testkit.upstream.FakeAnthropicServer("cli-key")) {
            fake.enqueue(dev.hearth.testkit.upstream.FakeReply.text("Routed to the fake Claude."));
            Outcome remote = run(java.util.Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "cli-key",
                    "ANTHROPIC_BASE_URL", fake.baseUri().toString(), "MODEL_CACHE_DIR", cache.toString()),
                    "chat", "Explain the trade-offs of event sourcing");
            assertThat(remote.code()).as(remote.err()).isZero();
            assertThat(remote.out().strip()).isEqualTo("Routed to the fake Claude.");
            assertThat(remote.err()).contains("sent to anthropic");
        }
    }

    @Test
    void anInteractiveRoutedChatShowsItsLoadedModelsWithPs() throws Exception {
        Path cache = dir.resolve("ps-cache");
        Files.createDirectories(cache);
        Files.copy(model, cache.resolve("tiny.gguf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("Hello\n/ps\n/exit\n".getBytes(StandardCharsets.UTF_8)));
            Outcome o = run(java.util.Map.of("LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                    "MODEL_CACHE_DIR", cache.toString(), "HEARTH_RUN_DIR", dir.resolve("run").toString()),
                    "chat", "--max-tokens", "4");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out()).containsPattern("tiny +cpu +0 GPU layers +[0-9.]+ MiB +0 leases +unloads at ");
            // the session is over, so nothing is loaded any more
            assertThat(run(java.util.Map.of("HEARTH_RUN_DIR", dir.resolve("run").toString()), "ps").out())
                    .contains("no Hearth process has a model loaded");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void psShowsWhatARunningHearthHasLoaded() throws Exception {
        Path cache = dir.resolve("ps2-cache");
        Files.createDirectories(cache);
        Files.copy(model, cache.resolve("tiny.gguf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path runDir = dir.resolve("run2");
        var env = java.util.Map.of("LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString(), "HEARTH_RUN_DIR", runDir.toString());
        try (var hearth = dev.hearth.router.Hearth.fromEnvironment(env)) {
            hearth.chat(dev.hearth.api.ChatRequest.of("auto", java.util.List.of(dev.hearth.api.ChatMessage.user("Hi")))
                    .withMaxTokens(4));
            hearth.host().loaded(); // the host has published its state by the time this returns
            Outcome ps = run(java.util.Map.of("HEARTH_RUN_DIR", runDir.toString()), "ps");
            assertThat(ps.out()).contains("MODEL").contains(String.valueOf(ProcessHandle.current().pid()))
                    .containsPattern("tiny +cpu +0 +[0-9.]+ MiB +0 +\\d{4}-\\d\\d-\\d\\dT.* \\(keep-alive PT5M\\)");
        }
        assertThat(run(java.util.Map.of("HEARTH_RUN_DIR", runDir.toString()), "ps").out())
                .contains("no Hearth process has a model loaded");
    }

    @Test
    void embedPrintsASummaryOrTheWholeVectorAsJson() throws Exception {
        Outcome summary = run("embed", "The cat sleeps on the sofa.", "A cat naps on the couch.");
        assertThat(summary.code()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("384 dimensions, norm 1.0000").containsPattern("cosine\\(1, 2\\) = 0\\.[5-9]");
        Outcome json = run("embed", "--json", "hello");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(node.get(0).path("embedding")).hasSize(384);
        assertThat(node.get(0).path("truncated").asBoolean()).isFalse();
    }
}
