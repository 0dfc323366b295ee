package dev.hearth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WriteSyntheticModel} run as the set-up script runs it, in a JVM of its own (its exit status is the
 * command's): it never replaces anything but a regular file, replaces one only with {@code --force}, never follows a
 * planted temporary file, and leaves nothing behind when a write fails.
 */
class WriteSyntheticModelTest {
    @TempDir
    Path dir;

    private static ChildJvm.Outcome write(String... args) throws Exception {
        return ChildJvm.run(WriteSyntheticModel.class, Map.of(), 120, args);
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isGguf(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII).equals("GGUF");
        }
    }

    @Test
    void aFifoADirectoryAndASymbolicLinkAreNeverReplacedEvenWithForce() throws Exception {
        Path fifo = dir.resolve("fifo"), directory = Files.createDirectory(dir.resolve("models.gguf"));
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link.gguf"), victim);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");
        for (Path target : new Path[] {fifo, directory, link}) {
            ChildJvm.Outcome o = write("--preset", "tiny", "--output", target.toString());
            assertThat(o.exitCode()).as(o.output()).isEqualTo(1);
            assertThat(o.output()).contains("--output").contains(target + " is a").contains("not a regular file");
        }
        ChildJvm.Outcome forced = write("--output", fifo.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.output()).isEqualTo(1);
        assertThat(forced.output()).contains("not a regular file");
        assertThat(attributes(fifo).isOther()).as("the FIFO is still a FIFO").isTrue();
        assertThat(attributes(directory).isDirectory()).isTrue();
        assertThat(attributes(link).isSymbolicLink()).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("keep");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fifo", "models.gguf",
                    "victim", "link.gguf");
        }
    }

    @Test
    void anExistingModelIsKeptWithoutForceAndReplacedWithIt() throws Exception {
        Path existing = Files.writeString(dir.resolve("existing.gguf"), "a model of mine");
        ChildJvm.Outcome refused = write("--output", existing.toString());
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("--output " + existing + " exists already").contains("--force");
        assertThat(Files.readString(existing)).isEqualTo("a model of mine");
        ChildJvm.Outcome forced = write("--output", existing.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.output()).isZero();
        assertThat(isGguf(existing)).isTrue();
    }

    @Test
    void aPlantedTemporaryLinkIsNeitherFollowedNorMovedIntoPlace() throws Exception {
        Path out = dir.resolve("out.gguf"), elsewhere = dir.resolve("elsewhere");
        Path planted = Files.createSymbolicLink(dir.resolve("out.gguf.tmp"), elsewhere);
        ChildJvm.Outcome o = write("--output", out.toString());
        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(elsewhere).as("nothing was written through the link").doesNotExist();
        assertThat(attributes(out).isRegularFile()).isTrue();
        assertThat(isGguf(out)).isTrue();
        assertThat(attributes(planted).isSymbolicLink()).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("out.gguf",
                    "out.gguf.tmp");
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNoFileBehind() throws IOException {
        Path out = dir.resolve("broken.gguf");
        GgufWriter writer = new GgufWriter().putString("general.architecture", "llama")
                .addTensor("t", new long[] {1 << 22}, WeightType.F32, (buffer, offset) -> {
                    if (offset > 0) {
                        throw new UncheckedIOException(new IOException("no space left on device"));
                    }
                    buffer.position(buffer.limit());
                });
        assertThatThrownBy(() -> writer.write(out)).hasMessageContaining("no space left on device");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no model and no temporary file").isEmpty();
        }
    }

    @Test
    void badValuesNameTheirOption() throws Exception {
        ChildJvm.Outcome seed = write("--seed", "abc", "--output", dir.resolve("x.gguf").toString());
        assertThat(seed.exitCode()).isEqualTo(2);
        assertThat(seed.output()).contains("--seed is a whole number, not abc").doesNotContain("Exception");
        ChildJvm.Outcome type = write("--type", "bogus", "--output", dir.resolve("x.gguf").toString());
        assertThat(type.exitCode()).isEqualTo(2);
        assertThat(type.output()).contains("--type is F32, F16, Q8_0 or Q4_0, not bogus").doesNotContain("Exception");
        assertThat(dir.resolve("x.gguf")).doesNotExist();
    }
}
