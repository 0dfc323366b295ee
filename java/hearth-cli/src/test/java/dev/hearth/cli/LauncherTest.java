package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.probe.ModuleProbe;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.onnx.TinyDecoder;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hearth} itself, in processes of its own, as a user starts it: on the module path, with the packages our
 * modules do not export closed to other code, and native access granted to every module that calls native code. It
 * needs the packaged CLI (target/hearth-cli-*.jar and target/lib), so Maven runs it in the integration-test phase,
 * after the package phase made them: the {@code launcher} execution in this module's pom, which sets
 * {@code hearth.packaged}; in the test phase (where {@code -Dtest=LauncherTest} would also pick it) it is skipped.
 */
@EnabledIfSystemProperty(named = "hearth.packaged", matches = "true",
        disabledReason = "runs after the package phase (mvn verify), in the launcher execution")
class LauncherTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path LAUNCHER = MODULE.resolve("../../bin/hearth").normalize();
    /** What finds the JDK and the natives; nothing else of the caller's environment reaches the launcher. */
    private static final List<String> KEPT = List.of("HEARTH_HOME", "HEARTH_NATIVES", "HEARTH_SHIM", "HOME", "PATH");

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    @Test
    void theCliRunsAsANamedModuleAndTheLlamaModulesUnexportedPackagesAreClosedToOtherCode() throws Exception {
        Path agent = probeAgent();
        String classes = String.join(",", "dev.hearth.cli.HearthCli", "dev.hearth.llama.LlamaModel",
                "dev.hearth.llama.internal.Budgets", "dev.hearth.llama.ffi.LlamaC");
        Outcome o = launch(Map.of("HEARTH_JAVA_OPTS", "-javaagent:" + agent + "=" + classes), "--help");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("Usage: hearth")
                .contains("probe: dev.hearth.cli.HearthCli in dev.hearth.cli ")
                .as("exported: usable, but not open to reflection")
                .contains("probe: dev.hearth.llama.LlamaModel in dev.hearth.llama public=yes private=no")
                .as("not exported: closed")
                .contains("probe: dev.hearth.llama.internal.Budgets in dev.hearth.llama public=no private=no")
                .contains("probe: dev.hearth.llama.ffi.LlamaC in dev.hearth.llama public=no private=no");
    }

    @Test
    void everyCommandRunsWithoutAWarningFromTheJvmSoEveryModuleThatCallsNativeCodeIsGrantedAccess() throws Exception {
        // A module that calls native code without being granted access draws a warning (JDK 24+); one named in the
        // grant but not on the module path draws one too. (Not --illegal-native-access=deny: DJL swallows the refusal
        // when it looks for CUDA through JNA, so a denied call would pass unseen.)
        Map<String, String> none = Map.of();
        Path model = dir.resolve("tiny.gguf");
        SyntheticModel.tiny().write(model);
        List<List<String>> commands = List.of(List.of("--help"), List.of("info", "--model", model.toString()),
                List.of("generate", "--model", model.toString(), "-n", "5", "--ctx-size", "512", "hello"),
                List.of("chat", "--model", model.toString(), "-n", "5", "--ctx-size", "512", "hi"),
                List.of("chat", "--model", "onnx:" + new TinyDecoder(2).writeChatModel(dir.resolve("tiny-onnx")),
                        "--temperature", "0", "-n", "6", "w3 w7"),
                List.of("embed", "hello"), List.of("models", "list"), List.of("ps"), List.of("keys", "list"),
                List.of("spend", "--json"), List.of("traces"));
        for (List<String> command : commands) {
            Outcome o = launch(none, command.toArray(String[]::new));
            assertThat(o.code()).as(command + " failed:\n" + o.err()).isZero();
            assertThat(o.err()).as(command + ": the JVM warns of nothing")
                    .doesNotContain("WARNING");
        }
        Outcome route = launch(none, "route", "--explain", "--json", "Write a Python function that sorts a list");
        assertThat(route.code()).as(route.err()).isZero();
        assertThat(route.err()).doesNotContain("WARNING");
        assertThat(new ObjectMapper().readTree(route.out()).path("decision").asText()).isEqualTo("local");
    }

    @Test
    void aRemoteVendorsJsonIsReadOnTheModulePath() throws Exception {
        try (var fake = new FakeAnthropicServer("launcher-key")) {
            fake.enqueue(FakeReply.text("Hello from the fake Claude."));
            Outcome o = launch(Map.of("ANTHROPIC_API_KEY", "launcher-key", "ANTHROPIC_BASE_URL",
                    fake.baseUri().toString()), "chat", "--model", "anthropic:claude-sonnet-4-6", "Hello");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out().strip()).isEqualTo("Hello from the fake Claude.");
        }
    }

    @Test
    void serveAnswersOverHttpOnTheModulePathAndStopsOnSigterm() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path out = dir.resolve("serve.out"), err = dir.resolve("serve.err");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "serve").redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment(builder, Map.of("HEARTH_PORT", Integer.toString(port), "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny"));
        Process serve = builder.start();
        try {
            // until it has printed its last start-up line (it listens from the first), or it died saying why
            while (!Files.readString(out).contains("hearth: per-key rate limits")) {
                assertThat(serve.isAlive()).as("serve exited:\n" + Files.readString(err)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(out)).contains("http://127.0.0.1:" + port + "/v1").contains("tiny (local)");
            var http = java.net.http.HttpClient.newHttpClient();
            var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/v1/chat/completions")).header("content-type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"max_tokens\":4,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(res.headers().firstValue("x-hearth-model")).hasValue("tiny");
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
            assertThat(Files.readString(err)).contains("hearth: stopping").doesNotContain("Exception");
        } finally {
            serve.destroyForcibly();
        }
    }

    private void environment(ProcessBuilder builder, Map<String, String> settings) {
        Map<String, String> env = builder.environment();
        env.clear();
        for (String name : KEPT) {
            if (System.getenv(name) != null) {
                env.put(name, System.getenv(name));
            }
        }
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK that runs the tests
        env.putAll(CleanEnvironment.in(dir, settings));
    }

    /** Runs bin/hearth with this test's directories and {@code settings} as its whole environment, plus {@link #KEPT}. */
    private Outcome launch(Map<String, String> settings, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment(builder, settings);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("bin/hearth " + String.join(" ", args) + " did not finish in 180 s");
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A jar holding {@link ModuleProbe} as a Java agent. */
    private Path probeAgent() throws IOException, URISyntaxException {
        String entry = ModuleProbe.class.getName().replace('.', '/') + ".class";
        Path compiled = Path.of(ModuleProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(entry);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ModuleProbe.class.getName());
        Path jar = dir.resolve("probe.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(compiled));
            out.closeEntry();
        }
        return jar;
    }
}
