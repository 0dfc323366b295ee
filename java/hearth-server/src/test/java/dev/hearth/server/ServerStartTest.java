package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping: a port in use is refused saying so; settings come from the environment, checked. */
class ServerStartTest {
    @TempDir
    Path dir;

    @Test
    void aPortInUseIsRefusedSayingWhatToDo() throws Exception {
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"));
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var settings = ServerSettings.defaults().withPort(taken.getLocalPort()).withDrainTimeout(Duration.ZERO);
            assertThatThrownBy(() -> HearthServer.start(hearth, settings).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("choose another --port");
        }
    }

    @Test
    void settingsComeFromTheEnvironmentAndAreChecked() {
        assertThat(ServerSettings.fromEnvironment(Map.of())).isEqualTo(ServerSettings.defaults());
        assertThat(ServerSettings.defaults().port()).isEqualTo(ServerSettings.DEFAULT_PORT);
        var s = ServerSettings.fromEnvironment(Map.of("HEARTH_HOST", "::1", "HEARTH_PORT", "9000"));
        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.port()).isEqualTo(9000);
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("HEARTH_PORT", "-1")))
                .hasMessageContaining("the port must be from 0");
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("HEARTH_MAX_BODY_BYTES", "10")))
                .hasMessageContaining("at least 1024 bytes");
        assertThat(ServerSettings.fromEnvironment(Map.of("HEARTH_STREAM_KEEP_ALIVE_SECONDS", "3")).keepAlive())
                .isEqualTo(java.time.Duration.ofSeconds(3));
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("HEARTH_STREAM_KEEP_ALIVE_SECONDS", "0")))
                .hasMessageContaining("HEARTH_STREAM_KEEP_ALIVE_SECONDS").hasMessageContaining("at least 10 ms");
    }
}
