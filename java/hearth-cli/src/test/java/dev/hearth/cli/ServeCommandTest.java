package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.CleanEnvironment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hearth serve's refusals, each before it listens, with what to do instead. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void anAddressBeyondLoopbackIsRefusedWhileNoKeyExists() {
        Cli.Outcome o = Cli.run(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"), "serve", "--host", "0.0.0.0");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("refusing to listen on 0.0.0.0").contains("keys create").contains("127.0.0.1");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Cli.Outcome o = Cli.run(CleanEnvironment.in(dir, "HEARTH_PORT", "70000"), "serve");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("the port must be from 0 (any free port) to 65535, not 70000");
        assertThat(Cli.run(CleanEnvironment.in(dir, "HEARTH_PORT", "eighty"), "serve").err())
                .contains("HEARTH_PORT must be a whole number, not \"eighty\"");
    }

    @Test
    void aPortInUseSaysSoAndStartsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Outcome o = Cli.run(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"), "serve", "--port",
                    Integer.toString(taken.getLocalPort()));
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("choose another --port");
            assertThat(o.out()).doesNotContain("serving");
        }
    }

    @Test
    void hearthTomlSetsWhereItListensAndTheEnvironmentWinsOverIt() throws Exception {
        Path toml = java.nio.file.Files.writeString(dir.resolve("hearth.toml"), "host = \"127.0.0.1\"\nport = 70001\n");
        Cli.Outcome fromFile = Cli.run(CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString()), "serve");
        assertThat(fromFile.code()).isEqualTo(2);
        assertThat(fromFile.err()).as("the file's port is the one checked").contains("not 70001");
        Cli.Outcome env = Cli.run(CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString(), "HEARTH_PORT", "70002"),
                "serve");
        assertThat(env.err()).contains("not 70002");
        java.nio.file.Files.writeString(toml, "port = \"eighty\"\n");
        assertThat(Cli.run(CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString()), "serve").err())
                .contains("line 1").contains("port must be a whole number");
    }
}
