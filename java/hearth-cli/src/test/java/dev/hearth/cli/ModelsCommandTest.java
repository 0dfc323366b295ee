package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.host.Catalog;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.http.LoopbackHttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth models}: pulls by URL and by catalog name from a loopback server that serves a synthetic model at the
 * catalog's own paths (nothing reaches the internet: every catalog used here points at the loopback server, and the
 * server records each path it was asked for), then list, info and rm.
 */
class ModelsCommandTest {
    static final String HUB = "https://huggingface.co";
    @TempDir
    static Path shared;
    static byte[] model;
    static String sha256;
    @TempDir
    Path dir;
    final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void writeModel() throws Exception {
        Path file = shared.resolve("tiny.gguf");
        SyntheticModel.tiny().write(file);
        model = Files.readAllBytes(file);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    }

    @BeforeEach
    void clear() {
        asked.clear();
    }

    /** Serves the synthetic model at any path, recording the paths. */
    LoopbackHttpServer server() throws Exception {
        return new LoopbackHttpServer(ex -> {
            asked.add(ex.path());
            ex.head(200, Map.of(), model.length);
            ex.write(model, 0, model.length);
        });
    }

    Map<String, String> env(String... settings) {
        return CleanEnvironment.in(dir, settings);
    }

    Path cache() {
        return dir.resolve("models");
    }

    /** The catalog this checkout ships, found from the module's directory. */
    static Path shippedCatalog() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("models/catalog.toml")) && Files.exists(p.resolve("natives.lock"))) {
                return p.resolve("models/catalog.toml");
            }
        }
        throw new IllegalStateException("no models/catalog.toml above " + Path.of("").toAbsolutePath());
    }

    /** The shipped catalog with its hub rewritten to the loopback server, and {@code sha256} set on one entry. */
    Path loopbackCatalog(URI server, String name, String sha256) throws Exception {
        String text = Files.readString(shippedCatalog()).replace(HUB, server.toString().replaceAll("/$", ""));
        int at = text.indexOf("name = \"" + name + "\"");
        assertThat(at).as("%s is in the shipped catalog", name).isPositive();
        int hash = text.indexOf("sha256 = \"\"", at);
        text = text.substring(0, hash) + "sha256 = \"" + sha256 + "\"" + text.substring(hash + "sha256 = \"\"".length());
        Path file = dir.resolve("catalog.toml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void pullListInfoAndRemoveAModelByUrl() throws Exception {
        try (var server = server()) {
            String url = server.uri().resolve("/tiny.gguf").toString();
            Cli.Outcome wrong = Cli.run(env(), "models", "pull", "tiny", "--url", url, "--sha256", "ab".repeat(32));
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).contains("not the expected " + "ab".repeat(32)).contains("nothing was replaced");
            assertThat(cache().resolve("tiny.gguf")).doesNotExist();
            Cli.Outcome pulled = Cli.run(env(), "models", "pull", "tiny", "--url", url, "--sha256", sha256);
            assertThat(pulled.code()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("sha256 " + sha256).contains("(verified)");
            assertThat(pulled.err()).contains("100%");
        }
        Cli.Outcome list = Cli.run(env(), "models", "list");
        assertThat(list.out()).contains("(in " + cache() + ")").containsPattern("tiny +[0-9.]+ MiB +" + sha256);
        Cli.Outcome info = Cli.run(env(), "models", "info", "tiny");
        assertThat(info.out()).contains("architecture:  llama").contains("layers:        2");
        assertThat(Cli.run(env(), "models", "rm", "tiny").out()).contains("removed tiny");
        assertThat(Cli.run(env(), "models", "list").out()).doesNotContain(sha256);
        assertThat(Cli.run(env(), "models", "rm", "tiny").code()).isEqualTo(1);
    }

    @Test
    void theShippedCatalogsDefaultModelIsPulledByNameFromTheCatalogsAddressAndVerified() throws Exception {
        Catalog shipped = Catalog.load(shippedCatalog());
        Catalog.Entry entry = shipped.find(shipped.defaultModel()).orElseThrow();
        try (var server = server()) {
            Path catalog = loopbackCatalog(server.uri(), entry.name(), sha256);
            Cli.Outcome pulled = Cli.run(env("HEARTH_CATALOG", catalog.toString()), "models", "pull", entry.name());
            assertThat(pulled.code()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("sha256 " + sha256).contains("(verified)");
            assertThat(asked).as("the catalog's path, at the loopback server")
                    .containsExactly(URI.create(entry.url()).getPath());
        }
        assertThat(Files.readAllBytes(cache().resolve(entry.name() + ".gguf"))).isEqualTo(model);
        assertThat(Files.readString(cache().resolve(entry.name() + ".gguf.sha256")).strip()).isEqualTo(sha256);
    }

    @Test
    void aCatalogHashThatDoesNotMatchIsRefusedAndNothingIsKept() throws Exception {
        String other = "0123456789abcdef".repeat(4);
        try (var server = server()) {
            Path catalog = loopbackCatalog(server.uri(), "qwen2.5-coder-1.5b-instruct", other);
            Cli.Outcome refused = Cli.run(env("HEARTH_CATALOG", catalog.toString()), "models", "pull",
                    "qwen2.5-coder-1.5b-instruct");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("has sha256 " + sha256).contains("not the expected " + other)
                    .contains("nothing was replaced");
            assertThat(asked).hasSize(1);
        }
        try (var files = Files.list(cache())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no model, no partial download, no hash;"
                    + " only the name's lock file, which stays").containsExactly(".qwen2.5-coder-1.5b-instruct.gguf.lock");
        }
    }

    @Test
    void aCatalogEntryWithoutAHashIsPulledUnverifiedAndItsHashIsKeptBesideIt() throws Exception {
        try (var server = server()) {
            Path catalog = loopbackCatalog(server.uri(), "smollm2-1.7b-instruct", ""); // as shipped: not recorded
            Cli.Outcome pulled = Cli.run(env("HEARTH_CATALOG", catalog.toString()), "models", "pull",
                    "smollm2-1.7b-instruct");
            assertThat(pulled.code()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("sha256 " + sha256).contains("not verified");
        }
        assertThat(Files.readString(cache().resolve("smollm2-1.7b-instruct.gguf.sha256")).strip()).isEqualTo(sha256);
    }

    @Test
    void aNameTheCatalogDoesNotHaveSaysHowToFindOneAndNothingIsFetched() throws Exception {
        try (var server = server()) {
            Path catalog = loopbackCatalog(server.uri(), "qwen2.5-0.5b-instruct", "");
            Cli.Outcome o = Cli.run(env("HEARTH_CATALOG", catalog.toString()), "models", "pull", "gpt-9");
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err()).contains("no model gpt-9 in the catalog").contains("hearth models list")
                    .contains("--url URL --sha256 HEX");
            Cli.Outcome file = Cli.run(env(), "models", "pull", "x", "--url", "file:///etc/hostname");
            assertThat(file.code()).isEqualTo(2);
            assertThat(file.err()).contains("--url must be an http:// or https:// address, not file:///etc/hostname");
            Cli.Outcome badHash = Cli.run(env(), "models", "pull", "x", "--url", server.uri().toString(), "--sha256", "xyz");
            assertThat(badHash.code()).isEqualTo(2);
            assertThat(badHash.err()).contains("--sha256 must be 64 hexadecimal digits");
            assertThat(asked).isEmpty();
        }
        Cli.Outcome noCatalog = Cli.run(env("HEARTH_CATALOG", dir.resolve("absent.toml").toString()), "models", "pull",
                "qwen2.5-0.5b-instruct");
        assertThat(noCatalog.code()).isEqualTo(2);
        assertThat(noCatalog.err()).contains("no model catalog at").contains("HEARTH_CATALOG");
    }

    @Test
    void listShowsTheCatalogsModelsAndItsDefault() throws Exception {
        Catalog shipped = Catalog.load(shippedCatalog());
        Cli.Outcome list = Cli.run(env("HEARTH_CATALOG", shippedCatalog().toString()), "models", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("catalog (pull by name; default " + shipped.defaultModel() + ")");
        for (Catalog.Entry e : shipped.model()) {
            assertThat(list.out()).containsPattern(" " + java.util.regex.Pattern.quote(e.name()) + " +"
                    + java.util.regex.Pattern.quote(e.quant()) + " +" + java.util.regex.Pattern.quote(e.license()));
        }
    }

    @Test
    void listShowsWhereEachModelCameFromAndScanSaysWhatItSkippedAndWhichServerIsDown() throws Exception {
        Files.createDirectories(cache());
        Files.write(cache().resolve("tiny.gguf"), model);
        Path shelf = Files.createDirectories(dir.resolve("shelf"));
        SyntheticModel.tiny().withWeightType(dev.hearth.testkit.WeightType.Q8_0).write(shelf.resolve("small-q8.gguf"),
                w -> w.putString("general.license", "mit"));
        Files.writeString(shelf.resolve("broken.gguf"), "GGUF and then nothing a model needs");
        LoopbackHttpServer ollama = new LoopbackHttpServer(ex -> ex.respond(200, Map.of("Content-Type",
                "application/json"), "{\"models\": [{\"name\": \"llama3.2:1b\", \"size\": 1321098329,"
                + " \"details\": {\"quantization_level\": \"Q4_K_M\"}}]}"));
        Path config = Files.writeString(dir.resolve("hearth.toml"), """
                [discovery]
                servers = [{url = "%s", kind = "ollama"}]
                """.formatted(ollama.uri()));
        Map<String, String> env = env("HEARTH_CONFIG", config.toString(), "HEARTH_MODEL_DIRS", shelf.toString(),
                "HEARTH_CATALOG", shippedCatalog().toString(), "LOCAL_LLM_ENABLED", "false");
        try {
            Cli.Outcome list = Cli.run(env, "models", "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("NAME", "SOURCE", "QUANT", "LICENCE", "MEMORY", "HEALTH")
                    .containsPattern("\\ntiny +cache +gguf +F32 ")
                    .containsPattern("\\nsmall-q8 +dir:" + java.util.regex.Pattern.quote(shelf.toString())
                            + " +gguf +Q8_0 +mit +[0-9.]+ MiB +[0-9.]+ MiB +-")
                    .containsPattern("\\nllama3\\.2:1b +server:" + java.util.regex.Pattern.quote(ollama.uri().toString()
                            .replaceAll("/$", "")) + " +ollama +Q4_K_M .* up\\n")
                    .containsPattern("\\nclaude-sonnet-4-6 +declared +anthropic ")
                    .containsPattern("\\nqwen2\\.5-coder-1\\.5b-instruct +catalog +gguf ");
            assertThat(list.err()).contains("skipped " + shelf.resolve("broken.gguf") + ": not a model Hearth can run");
            ollama.close();
            Cli.Outcome scan = Cli.run(env, "models", "scan");
            assertThat(scan.code()).as(scan.err()).isZero();
            assertThat(scan.out()).containsPattern("\\nsmall-q8 +dir:").doesNotContain("llama3.2:1b");
            assertThat(scan.err()).contains("skipped " + ollama.uri().toString().replaceAll("/$", "")
                    + " (ollama): cannot reach");
        } finally {
            ollama.close();
        }
    }

    @Test
    void everyModelsSubcommandHasHelp() {
        for (String sub : new String[] {"list", "info", "pull", "rm", "scan"}) {
            Cli.Outcome help = Cli.run(env(), "models", sub, "--help");
            assertThat(help.code()).as(sub + ": " + help.err()).isZero();
            assertThat(help.out()).contains("Usage: hearth models " + sub);
        }
    }

    @Test
    void aDirectoryInTheCacheIsNotAModelAndADamagedHashFileHidesNothing() throws Exception {
        Files.createDirectories(cache().resolve("folder.gguf"));
        Files.write(cache().resolve("tiny.gguf"), model);
        Files.write(cache().resolve("tiny.gguf.sha256"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Cli.Outcome list = Cli.run(env(), "models", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("tiny +[0-9.]+ MiB +-").doesNotContain("folder");
        Cli.Outcome info = Cli.run(env(), "models", "info", "folder");
        assertThat(info.code()).isEqualTo(2);
        assertThat(info.err()).contains(cache().resolve("folder.gguf") + " is a directory, not a model")
                .doesNotContain("Is a directory");
    }

    @Test
    void namesInTheCacheArePrintedEscaped() throws Exception {
        Files.createDirectories(cache());
        Files.write(cache().resolve("evil\u001b[2J.gguf"), model);
        Cli.Outcome list = Cli.run(env(), "models", "list");
        assertThat(list.out()).contains("evil\\u001b[2J").doesNotContain("\u001b");
    }

    @Test
    void aPullErrorIsPrintedOnALineOfItsOwnAfterTheProgressBar() throws Exception {
        try (var server = new LoopbackHttpServer(ex -> {
            ex.head(200, Map.of(), model.length);
            ex.write(model, 0, model.length / 2);
            ex.reset();
        })) {
            Cli.Outcome cut = Cli.run(env(), "models", "pull", "tiny", "--url", server.uri().resolve("/t.gguf")
                    .toString());
            assertThat(cut.code()).isEqualTo(1);
            assertThat(cut.err()).contains("%");
            assertThat(cut.err().lines()).anyMatch(line -> line.startsWith("hearth: the download stopped at"));
        }
    }

    @Test
    void anUnreachableServerIsSaidInWords() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Cli.Outcome o = Cli.run(env(), "models", "pull", "tiny", "--url", "http://127.0.0.1:" + closed + "/t.gguf");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("cannot reach 127.0.0.1:" + closed + " (the connection was refused)")
                .doesNotContain("ConnectException");
    }

    @Test
    void aModelCacheThatIsAFileAndACatalogThatIsADirectoryAreNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "");
        Cli.Outcome pull = Cli.run(CleanEnvironment.in(dir, "MODEL_CACHE_DIR", file.toString()), "models", "pull",
                "tiny", "--url", "http://127.0.0.1:9/t.gguf");
        assertThat(pull.code()).isEqualTo(1);
        assertThat(pull.err()).contains("the model cache " + file + " is not a directory")
                .contains("MODEL_CACHE_DIR");
        Cli.Outcome list = Cli.run(env("HEARTH_CATALOG", dir.toString()), "models", "list");
        assertThat(list.err()).contains("the model catalog " + dir + " is not a file").contains("HEARTH_CATALOG")
                .doesNotContain("Is a directory");
    }

    @Test
    @SuppressWarnings("try") // the lock is held by being open
    void aPullOrRemovalOfAModelThatIsBeingPulledIsRefusedWithWhatToDo() throws Exception {
        try (var server = server(); var held = new dev.hearth.host.ModelStore(cache()).lock("tiny", "pulled")) {
            Cli.Outcome pull = Cli.run(env(), "models", "pull", "tiny", "--url", server.uri().resolve("/t.gguf")
                    .toString());
            assertThat(pull.code()).isEqualTo(1);
            assertThat(pull.err()).contains("hearth: tiny is being pulled by process " + ProcessHandle.current().pid())
                    .contains("wait for that to finish");
            assertThat(asked).isEmpty();
            Cli.Outcome rm = Cli.run(env(), "models", "rm", "tiny");
            assertThat(rm.code()).isEqualTo(1);
            assertThat(rm.err()).contains("tiny is being pulled by process");
        }
    }
}
