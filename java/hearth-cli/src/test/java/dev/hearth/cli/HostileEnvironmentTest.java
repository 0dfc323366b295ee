package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.host.ModelHost;
import dev.hearth.host.Placement;
import dev.hearth.host.RunRegistry;
import dev.hearth.testkit.ChildJvm;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI tests cannot see the environment of whoever runs the build: a JVM started with a hostile one (a remote-only
 * strategy, vendor keys and base URLs, a configuration file, another model cache, run directory, catalog and default
 * model) runs CLI commands as the tests do, and none of it shows; the same commands given the process's environment
 * (the control) show that the hostile settings were there to be seen.
 */
class HostileEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void cliCommandsRunAsTheTestsRunThemSeeNothingOfAHostileCallerEnvironment() throws Exception {
        Path hostileCache = Files.createDirectories(dir.resolve("hostile-cache"));
        SyntheticModel.tiny().write(hostileCache.resolve("hostile-model.gguf"));
        Path hostileRun = Files.createDirectories(dir.resolve("hostile-run"));
        // a run file ps believes: this (live) process's, as a Hearth host publishes it
        new RunRegistry(hostileRun).publish(List.of(new ModelHost.LoadedModel("hostile-model",
                new Placement("cpu", 0, MemoryEstimate.cpuOnly(1, 0, 0)), 1, Duration.ofMinutes(5), null)));
        Path hostileConfig = Files.writeString(dir.resolve("hostile.toml"), "strategy = \"remote_only\"\n");
        Path hostileCatalog = Files.writeString(dir.resolve("hostile-catalog.toml"), "default = \"hostile-model\"\n"
                + "[[model]]\nname = \"hostile-model\"\nurl = \"http://127.0.0.1:9/hostile.gguf\"\nsha256 = \"\"\n"
                + "license = \"hostile\"\nquant = \"Q8_0\"\ncontext = 512\nstrengths = [\"chat\"]\n");
        Path work = Files.createDirectories(dir.resolve("work"));
        Path report = dir.resolve("report.json");
        try (FakeAnthropicServer claude = new FakeAnthropicServer("hostile-key");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("hostile-key", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Map<String, String> hostile = Map.ofEntries(Map.entry("LLM_STRATEGY", "remote_only"),
                    Map.entry("ANTHROPIC_API_KEY", "hostile-key"), Map.entry("ANTHROPIC_BASE_URL", claude.baseUri().toString()),
                    Map.entry("DEEPSEEK_API_KEY", "hostile-key"), Map.entry("DEEPSEEK_BASE_URL", deepseek.baseUri().toString()),
                    Map.entry("HEARTH_ALLOW_EXTERNAL", "true"), Map.entry("HEARTH_PRIVACY", "allow"),
                    Map.entry("HEARTH_CONFIG", hostileConfig.toString()), Map.entry("CLAUDE_MODEL", "hostile-claude"),
                    Map.entry("LOCAL_MODEL_NAME", "hostile-model"), Map.entry("MODEL_CACHE_DIR", hostileCache.toString()),
                    Map.entry("HEARTH_RUN_DIR", hostileRun.toString()), Map.entry("HEARTH_CATALOG", hostileCatalog.toString()),
                    Map.entry("HEARTH_MODEL", hostileCache.resolve("hostile-model.gguf").toString()));
            run(hostile, work, report);
            assertThat(claude.received()).as("nothing reached the hostile Claude").isEmpty();
            assertThat(deepseek.received()).as("nothing reached the hostile DeepSeek").isEmpty();
        }
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("processStrategy").asText()).as("the child's own environment is the hostile one")
                .isEqualTo("remote_only");
        JsonNode control = new ObjectMapper().readTree(r.path("routeControl").path("out").asText());
        assertThat(control.path("strategy").asText()).as("the control sees it").isEqualTo("remote_only");
        assertThat(r.path("modelsListControl").path("out").asText()).contains("hostile-model");
        assertThat(r.path("psControl").path("out").asText()).contains("hostile-model");

        JsonNode route = new ObjectMapper().readTree(r.path("route").path("out").asText());
        assertThat(route.path("strategy").asText()).isEqualTo("hybrid");
        assertThat(route.path("decision").asText()).isEqualTo("local");
        assertThat(route.path("externalAllowed").asBoolean()).isFalse();
        assertThat(r.path("remoteChat").path("code").asInt()).as("refused by the router").isEqualTo(1);
        assertThat(r.path("remoteChat").path("err").asText()).contains("ANTHROPIC_API_KEY");
        assertThat(r.path("routedChat").path("err").asText())
                .contains("qwen2.5-0.5b-instruct is not in " + work.resolve("models"));
        assertThat(r.path("modelsList").path("out").asText()).contains("(in " + work.resolve("models") + ")");
        assertThat(r.path("ps").path("out").asText()).contains("no Hearth process has a model loaded");
        for (String command : List.of("route", "remoteChat", "routedChat", "modelsList", "ps", "info")) {
            assertThat(r.path(command).toString()).as(command).doesNotContain("hostile");
        }
        try (var files = Files.list(hostileRun)) {
            assertThat(files).as("nothing was written to the hostile run directory").hasSize(1);
        }
        try (var files = Files.list(hostileCache)) {
            assertThat(files).as("nor to the hostile cache").hasSize(1);
        }
    }

    /** The check in a JVM of its own: the hostile environment, plus only what finds the natives and the test seed. */
    private static void run(Map<String, String> hostile, Path work, Path report) throws Exception {
        ChildJvm.Outcome child = ChildJvm.runClean(HostileEnvironmentCheck.class, hostile,
                List.of("HEARTH_HOME", "HEARTH_NATIVES", "HEARTH_SHIM", "HEARTH_TEST_SEED", "HOME", "PATH"), 180,
                work.toString(), report.toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
    }
}
