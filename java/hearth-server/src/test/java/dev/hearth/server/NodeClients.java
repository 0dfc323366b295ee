package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official npm clients the SDK tests run with node: where scripts/install-npm-clients.sh put them, and a script
 * of src/test/resources/clients run against a live server, returning the JSON it printed.
 */
final class NodeClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeClients() {
    }

    static Path dir() {
        String set = System.getenv("HEARTH_NPM_CLIENTS");
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        String home = System.getenv("HEARTH_HOME");
        return (home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "hearth")
                : Path.of(home)).resolve("npm");
    }

    /** Fails, saying how to install it, when the package is missing. */
    static void require(String npmPackage) {
        assertThat(dir().resolve("node_modules").resolve(npmPackage).resolve("package.json"))
                .as(npmPackage + "; install it with scripts/install-npm-clients.sh (scripts/test.sh does)").exists();
    }

    /** Copies the script {@code name} into {@code dir} and runs it with node; its stderr is in a failure's message. */
    static JsonNode run(Path dir, String name, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve(name);
        try (var in = NodeClients.class.getResourceAsStream("/clients/" + name)) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        pb.environment().put("HEARTH_NPM_CLIENTS", dir().toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("node finished").isTrue();
        assertThat(p.exitValue()).as("node exit; stderr:\n" + Files.readString(err)).isZero();
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }
}
