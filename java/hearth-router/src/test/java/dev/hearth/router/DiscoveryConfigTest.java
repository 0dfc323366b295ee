package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hearth.toml's [discovery], with HEARTH_MODEL_DIRS and HEARTH_DISCOVERY_INTERVAL_SECONDS laid over it. */
class DiscoveryConfigTest {
    @TempDir
    Path dir;

    private Path write(String toml) throws Exception {
        return Files.writeString(dir.resolve("hearth.toml"), toml);
    }

    @Test
    void foldersServersAndTheIntervalAreReadAndTheEnvironmentAddsToThem() throws Exception {
        DiscoveryConfig d = HearthConfig.load(write("""
                [discovery]
                dirs = ["/srv/models"]
                servers = [{url = "http://gpu-box:8000/v1/", kind = "openai", api_key_env = "GPU_BOX_KEY"},
                           {url = "http://localhost:11434", kind = "ollama"}]
                interval_seconds = 300
                """)).discovery();
        assertThat(d.dirs()).containsExactly(Path.of("/srv/models"));
        assertThat(d.servers()).containsExactly(
                new DiscoveryConfig.Server(URI.create("http://gpu-box:8000"), DiscoveryConfig.Kind.OPENAI, "GPU_BOX_KEY"),
                new DiscoveryConfig.Server(URI.create("http://localhost:11434"), DiscoveryConfig.Kind.OLLAMA, null));
        assertThat(d.servers().getFirst().openAiBase()).isEqualTo(URI.create("http://gpu-box:8000/v1"));
        assertThat(d.interval()).isEqualTo(Duration.ofMinutes(5));
        DiscoveryConfig env = d.withEnvironment(Map.of("HEARTH_MODEL_DIRS", "/a" + java.io.File.pathSeparator + "/b",
                "HEARTH_DISCOVERY_INTERVAL_SECONDS", "0"));
        assertThat(env.dirs()).containsExactly(Path.of("/srv/models"), Path.of("/a"), Path.of("/b"));
        assertThat(env.interval()).isZero();
        assertThat(HearthConfig.load(write("strategy = \"hybrid\"\n")).discovery()).isEqualTo(DiscoveryConfig.NONE);
    }

    @Test
    void mistakesFailWithTheirLineAndTheChoices() throws Exception {
        assertThatThrownBy(() -> HearthConfig.load(write("[discovery]\ndirs = [\"/m\"]\nfolders = [\"/n\"]\n")))
                .hasMessageContaining("line 3").hasMessageContaining("unknown key \"folders\"")
                .hasMessageContaining("interval_seconds");
        assertThatThrownBy(() -> HearthConfig.load(write(
                "[discovery]\nservers = [{url = \"http://h:1\", kind = \"vllm\"}]\n")))
                .hasMessageContaining("line 2").hasMessageContaining("kind \"vllm\" is unknown")
                .hasMessageContaining("[openai, ollama]");
        assertThatThrownBy(() -> HearthConfig.load(write(
                "[discovery]\nservers = [{url = \"ftp://h\", kind = \"openai\"}]\n")))
                .hasMessageContaining("is not an http:// or https:// address");
        assertThatThrownBy(() -> HearthConfig.load(write("[discovery]\ninterval_seconds = -1\n")))
                .hasMessageContaining("line 2").hasMessageContaining("0 or more");
        assertThatThrownBy(() -> DiscoveryConfig.NONE.withEnvironment(Map.of("HEARTH_DISCOVERY_INTERVAL_SECONDS",
                "-5"))).hasMessageContaining("HEARTH_DISCOVERY_INTERVAL_SECONDS must be a whole number of seconds");
    }
}
