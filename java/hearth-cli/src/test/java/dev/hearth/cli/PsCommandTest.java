package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.host.ModelHost;
import dev.hearth.host.Placement;
import dev.hearth.host.RunRegistry;
import dev.hearth.testkit.CleanEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth ps} over run files as this process publishes them, and as someone could plant or damage them: only a
 * file written by the live process with its pid is believed, a bad file is skipped with a line on stderr and hides
 * nothing else, and what a file says is printed escaped.
 */
class PsCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long SELF = ProcessHandle.current().pid();
    @TempDir
    Path dir;

    Map<String, String> env() {
        return CleanEnvironment.in(dir);
    }

    Path runDir() {
        return dir.resolve("run");
    }

    /** Publishes one loaded model as this process, as a Hearth host does. */
    void publish(String model, Duration keepAlive) {
        RunRegistry.fromEnvironment(env()).publish(List.of(new ModelHost.LoadedModel(model,
                new Placement("cpu", 0, MemoryEstimate.cpuOnly(8 << 20, 1 << 20, 1 << 20)), 0, keepAlive,
                Instant.parse("2030-01-01T00:05:00Z"))));
    }

    @AfterEach
    void unpublish() {
        RunRegistry.fromEnvironment(env()).publish(List.of());
    }

    @Test
    void aFilePlantedForAnotherLiveProcessIsSkippedAndReported() throws Exception {
        Files.createDirectories(runDir());
        Files.writeString(runDir().resolve("1.json"), """
                {"pid":1,"models":[{"model":"planted","device":"cpu","gpuLayers":0,"bytes":1,"leases":0,
                "keepAlive":"PT5M","expiresAt":""}]}""");
        Cli.Outcome ps = Cli.run(env(), "ps");
        assertThat(ps.code()).isZero();
        assertThat(ps.out()).doesNotContain("planted").contains("no Hearth process has a model loaded");
        assertThat(ps.err()).contains("hearth: skipped " + runDir().resolve("1.json") + ": ");
    }

    @Test
    void aFileWhosePidNowBelongsToAnotherProcessIsNotShown() throws Exception {
        publish("tiny", Duration.ofMinutes(5));
        Path mine = runDir().resolve(SELF + ".json");
        ObjectNode root = (ObjectNode) JSON.readTree(mine.toFile());
        root.put("started", "2001-01-01T00:00:00Z"); // written by an earlier process with this pid
        Files.writeString(mine, JSON.writeValueAsString(root));
        Cli.Outcome ps = Cli.run(env(), "ps");
        assertThat(ps.out()).doesNotContain("tiny").contains("no Hearth process has a model loaded");
        assertThat(mine).as("a stale file is removed, as a dead process's is").doesNotExist();
    }

    @Test
    void aCorruptFileIsSkippedWithOneLineAndTheOthersAreShown() throws Exception {
        publish("tiny", Duration.ofMinutes(5));
        Files.writeString(runDir().resolve("1.json"), "{garbage");
        Cli.Outcome ps = Cli.run(env(), "ps");
        assertThat(ps.code()).as(ps.err()).isZero();
        assertThat(ps.out()).containsPattern(SELF + " +tiny +cpu ");
        assertThat(ps.err().lines()).containsExactly("hearth: skipped " + runDir().resolve("1.json")
                + ": not valid JSON (line 1)");
    }

    @Test
    void namesAreEscapedAndKeepAliveReadsAsPeopleWriteIt() {
        publish("evil\u001b[2J\rname\u202Eexe", Duration.ofMinutes(5));
        Cli.Outcome ps = Cli.run(env(), "ps");
        assertThat(ps.out()).contains("evil\\u001b[2J\\u000dname\\u202eexe").doesNotContain("\u001b")
                .doesNotContain("\r").doesNotContain("\u202E");
        assertThat(ps.out()).contains("(keep-alive 5m)").doesNotContain("PT5M");
    }

    @Test
    void keepAlivesOfEveryLength() {
        assertThat(Printable.duration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Printable.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Printable.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Printable.duration(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Printable.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(Printable.duration(Duration.ofSeconds(-1))).isEqualTo("forever");
    }
}
