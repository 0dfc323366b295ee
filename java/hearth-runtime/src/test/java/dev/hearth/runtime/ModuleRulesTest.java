package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.spi.BackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of ARCHITECTURE.md, read from the modules' own declarations: backends plug in through the SPI,
 * the router and the host name none of them, the CLI sees the runtime alone, and no product module ships the testkit.
 */
class ModuleRulesTest {
    private static final List<String> BACKENDS = List.of("dev.hearth.llama", "dev.hearth.onnx", "dev.hearth.remote");

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("java/hearth-api/pom.xml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static List<String> requires(String module) throws IOException {
        String text = Files.readString(root().resolve("java/" + module + "/src/main/java/module-info.java"));
        Matcher m = Pattern.compile("requires\\s+(?:transitive\\s+|static\\s+)*([\\w.]+)\\s*;").matcher(text);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theRouterTheHostAndTheRuntimeNameNoBackend() throws IOException {
        assertThat(requires("hearth-router")).doesNotContainAnyElementsOf(BACKENDS);
        assertThat(requires("hearth-host")).doesNotContainAnyElementsOf(BACKENDS);
        assertThat(requires("hearth-runtime")).doesNotContainAnyElementsOf(BACKENDS);
        // and the build keeps the backends off their compile path: on the module path at run time only
        String runtimePom = Files.readString(root().resolve("java/hearth-runtime/pom.xml"));
        for (String backend : List.of("hearth-llama", "hearth-onnx", "hearth-remote")) {
            assertThat(runtimePom).contains("<artifactId>" + backend + "</artifactId><scope>runtime</scope>");
        }
    }

    @Test
    void theCliSeesTheRuntimeAloneOfHearthsModules() throws IOException {
        // and the server, a face it starts (hearth serve), which itself sees the runtime alone
        assertThat(requires("hearth-cli")).filteredOn(r -> r.startsWith("dev.hearth."))
                .containsExactlyInAnyOrder("dev.hearth.runtime", "dev.hearth.server");
        // beside the runtime, the server sees hearth-redis alone: its per-key rate limits, shared or in process
        assertThat(requires("hearth-server")).filteredOn(r -> r.startsWith("dev.hearth."))
                .containsExactlyInAnyOrder("dev.hearth.runtime", "dev.hearth.redis");
        assertThat(requires("hearth-redis")).filteredOn(r -> r.startsWith("dev.hearth.")).isEmpty();
    }

    @Test
    void theLedgerNamesNoHearthModuleButTheApi() throws IOException {
        assertThat(requires("hearth-ledger")).filteredOn(r -> r.startsWith("dev.hearth."))
                .containsExactly("dev.hearth.api");
    }

    @Test
    void noProductModuleDependsOnTheTestkitOutsideItsTests() throws IOException {
        for (String module : List.of("hearth-api", "hearth-llama", "hearth-remote", "hearth-host", "hearth-onnx",
                "hearth-ledger", "hearth-router", "hearth-runtime", "hearth-cli")) {
            String pom = Files.readString(root().resolve("java/" + module + "/pom.xml"));
            Matcher m = Pattern.compile("<artifactId>hearth-testkit</artifactId>(<scope>(\\w+)</scope>)?").matcher(pom);
            while (m.find()) {
                assertThat(m.group(2)).as(module + " depends on the testkit").isEqualTo("test");
            }
            assertThat(requires(module)).as(module).doesNotContain("dev.hearth.testkit");
        }
    }

    @Test
    void everyBackendIsFoundThroughTheSpi() {
        assertThat(BackendProvider.installed()).extracting(BackendProvider::name)
                .containsExactly("ONNX Runtime", "llama.cpp", "remote vendors");
    }
}
