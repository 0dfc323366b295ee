package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import dev.hearth.testkit.http.LoopbackHttpServer;
import dev.hearth.testkit.onnx.TinyDecoder;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model discovery over real files and real HTTP on loopback: a folder of two synthetic GGUF models of different
 * quantisations, a truncated one, one that is no GGUF at all and an ONNX directory; an OpenAI-compatible server (the
 * testkit's fake) and an Ollama one ({@code /api/tags}), one of which goes down.
 */
class ModelDiscoveryTest {
    @TempDir
    Path dir;

    private Path shelf() throws Exception {
        Path shelf = Files.createDirectories(dir.resolve("shelf"));
        SyntheticModel.tiny().withWeightType(WeightType.F16).write(shelf.resolve("small-f16.gguf"),
                w -> w.putString("general.license", "apache-2.0"));
        SyntheticModel.tiny().withWeightType(WeightType.Q8_0).write(shelf.resolve("small-q8.gguf"),
                w -> w.putString("general.license", "mit"));
        byte[] whole = Files.readAllBytes(shelf.resolve("small-q8.gguf"));
        Files.write(shelf.resolve("truncated.gguf"), java.util.Arrays.copyOf(whole, whole.length / 3));
        Files.writeString(shelf.resolve("notes.gguf"), "these are my notes, not a model");
        Files.writeString(shelf.resolve("README.md"), "not a model, and not named like one");
        new TinyDecoder(2).writeChatModel(shelf.resolve("tiny-onnx"));
        return shelf;
    }

    private static DiscoveredModel named(ModelDiscovery.Scan scan, String name) {
        return scan.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError(name + " not among " + scan.models()));
    }

    @Test
    void aFolderGivesEachModelItsShapeQuantisationLicenceAndSourceAndSkipsBadFilesWithANote() throws Exception {
        Path shelf = shelf();
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LOCAL_LLM_ENABLED", "false",
                "HEARTH_MODEL_DIRS", shelf.toString()))) {
            assertThat(hearth.use("small-q8")).as("a name in a folder is found before any scan ran: use scans")
                    .isEqualTo("small-q8");
            ModelDiscovery.Scan scan = hearth.discovery().latest();
            DiscoveredModel f16 = named(scan, "small-f16");
            DiscoveredModel q8 = named(scan, "small-q8");
            assertThat(List.of(f16.source(), q8.source())).containsOnly("dir:" + shelf);
            assertThat(f16.quantization()).isEqualTo("F16");
            assertThat(q8.quantization()).isEqualTo("Q8_0");
            assertThat(f16.licence()).isEqualTo("apache-2.0");
            assertThat(q8.licence()).isEqualTo("mit");
            assertThat(q8.shape()).isEqualTo("llama, 2 layers, width 64, context 2048");
            assertThat(q8.kind()).isEqualTo("gguf");
            assertThat(f16.bytes()).isGreaterThan(q8.bytes());
            assertThat(f16.memoryBytes()).isGreaterThan(q8.memoryBytes()).isPositive();
            DiscoveredModel onnx = named(scan, "onnx:tiny-onnx");
            assertThat(onnx.kind()).isEqualTo("onnx");
            assertThat(onnx.source()).isEqualTo("dir:" + shelf);
            assertThat(scan.skipped()).hasSize(2);
            assertThat(scan.skipped()).anySatisfy(s -> assertThat(s).startsWith(shelf.resolve("truncated.gguf")
                    + ": not a model Hearth can run").endsWith("replace or remove the file"));
            assertThat(scan.skipped()).anySatisfy(s -> assertThat(s).startsWith(shelf.resolve("notes.gguf")
                    + ": not a model Hearth can run"));
            assertThat(hearth.router().registry().find("small-q8")).hasValueSatisfying(p -> {
                assertThat(p.local()).isTrue();
                assertThat(p.model()).isEqualTo(shelf.resolve("small-q8.gguf").toString());
            });
            assertThat(hearth.discovery().scan().models()).as("a rescan finds the same models under the same names")
                    .isEqualTo(scan.models());
        }
    }

    @Test
    void serversListTheirModelsWithHealthAModelIsReachedThereAndAServerThatGoesDownIsShownDown() throws Exception {
        LoopbackHttpServer ollama = new LoopbackHttpServer(ex -> ex.respond(ex.path().equals("/api/tags") ? 200 : 404,
                Map.of("Content-Type", "application/json"), """
                {"models": [{"name": "llama3.2:1b", "model": "llama3.2:1b", "size": 1321098329,
                  "details": {"family": "llama", "parameter_size": "1.2B", "quantization_level": "Q8_0"}}]}"""));
        try (FakeOpenAiServer lan = new FakeOpenAiServer("lan-key", FakeOpenAiServer.Flavor.OPENAI)) {
            lan.listModels("qwen3-8b-instruct").defaultReply(FakeReply.text("Hello from the LAN server."));
            Path file = Files.writeString(dir.resolve("hearth.toml"), """
                    allow_external = true
                    [discovery]
                    servers = [{url = "%s", kind = "openai", api_key_env = "LAN_KEY"},
                               {url = "%s", kind = "ollama"}]
                    """.formatted(lan.baseUri(), ollama.uri()));
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                    "LOCAL_LLM_ENABLED", "false", "LAN_KEY", "lan-key"))) {
                ModelDiscovery.Scan up = hearth.discovery().scan();
                DiscoveredModel qwen = named(up, "qwen3-8b-instruct");
                assertThat(qwen.source()).isEqualTo("server:" + lan.baseUri().toString().replaceAll("/$", ""));
                assertThat(qwen.health()).isEqualTo("up");
                DiscoveredModel llama = named(up, "llama3.2:1b");
                assertThat(llama.kind()).isEqualTo("ollama");
                assertThat(llama.quantization()).isEqualTo("Q8_0");
                assertThat(llama.health()).isEqualTo("up");

                var answer = hearth.chat(ChatRequest.of("qwen3-8b-instruct", List.of(ChatMessage.user("hi")))
                        .withMaxTokens(16));
                assertThat(answer.response().content()).isEqualTo("Hello from the LAN server.");
                assertThat(lan.lastRequest().path()).isEqualTo("/v1/chat/completions");

                ollama.close();
                ModelDiscovery.Scan down = hearth.discovery().scan();
                assertThat(named(down, "llama3.2:1b").health()).startsWith("down: cannot reach " + ollama.uri());
                assertThat(named(down, "qwen3-8b-instruct").health()).isEqualTo("up");
                assertThat(down.skipped()).anySatisfy(s -> assertThat(s).contains("its models are kept, marked down"));
            }
        } finally {
            ollama.close();
        }
    }

    @Test
    void aScheduledScanFindsAModelAddedSinceTheLastOne() throws Exception {
        Path shelf = Files.createDirectories(dir.resolve("shelf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LOCAL_LLM_ENABLED", "false",
                "HEARTH_MODEL_DIRS", shelf.toString()))) {
            Runnable[] task = new Runnable[1];
            Duration[] every = new Duration[1];
            try (AutoCloseable scheduled = hearth.discovery().every(Duration.ofMinutes(5), (period, t) -> {
                every[0] = period;
                task[0] = t;
                return () -> { };
            })) {
                task[0].run();
                assertThat(hearth.discovery().latest().models()).noneMatch(m -> m.name().equals("later"));
                SyntheticModel.tiny().write(shelf.resolve("later.gguf"));
                task[0].run();
                assertThat(named(hearth.discovery().latest(), "later").source()).isEqualTo("dir:" + shelf);
                assertThat(every[0]).isEqualTo(Duration.ofMinutes(5));
            }
        }
    }

    @Test
    void aBadIntervalFailsAtStartSayingWhatToSet() {
        assertThatThrownBy(() -> Hearth.fromEnvironment(CleanEnvironment.in(dir, "LOCAL_LLM_ENABLED", "false",
                "HEARTH_DISCOVERY_INTERVAL_SECONDS", "soon")).close())
                .hasMessageContaining("HEARTH_DISCOVERY_INTERVAL_SECONDS must be a whole number of seconds");
    }
}
