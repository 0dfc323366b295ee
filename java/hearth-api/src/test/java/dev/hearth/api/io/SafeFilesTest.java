package dev.hearth.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for writing files, on a real file system. */
class SafeFilesTest {
    @TempDir
    Path dir;

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aNewFileIsWrittenAndNothingElseIsLeft() throws IOException {
        Path target = dir.resolve("sub/model.gguf");
        SafeFiles.writeString(target, SafeFiles.Existing.REFUSE, "content");
        assertThat(Files.readString(target)).isEqualTo("content");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void anExistingRegularFileIsReplacedOnlyWhenAsked() throws IOException {
        Path target = Files.writeString(dir.resolve("f"), "old");
        assertThatThrownBy(() -> SafeFiles.writeString(target, SafeFiles.Existing.REFUSE, "new"))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(target)).isEqualTo("old");
        SafeFiles.writeString(target, SafeFiles.Existing.REPLACE, "new");
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(names()).containsExactly("f");
    }

    @Test
    void contentIsNotProducedForARefusedTarget() throws IOException {
        Path target = Files.createDirectory(dir.resolve("d"));
        boolean[] ran = {false};
        assertThatThrownBy(() -> SafeFiles.write(target, SafeFiles.Existing.REPLACE, ch -> ran[0] = true))
                .hasMessageContaining(target + " is a directory, not a regular file");
        assertThat(ran[0]).isFalse();
    }

    @Test
    void aLinkIsNeverReplacedNorWrittenThrough() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), victim);
        assertThatThrownBy(() -> SafeFiles.writeString(link, SafeFiles.Existing.REPLACE, "x"))
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> SafeFiles.createNew(link)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> SafeFiles.openToAppend(link)).hasMessageContaining("is a symbolic link");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> SafeFiles.createNew(dangling)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(dir.resolve("nowhere")).doesNotExist();
        assertThat(Files.readString(victim)).isEqualTo("keep");
    }

    @Test
    void aFailureLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("f"), "old");
        assertThatThrownBy(() -> SafeFiles.write(target, SafeFiles.Existing.REPLACE, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[100]));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThatThrownBy(() -> SafeFiles.write(target, SafeFiles.Existing.REPLACE, ch -> {
            throw new IllegalStateException("a bug");
        })).hasMessage("a bug");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names()).containsExactly("f");
    }

    @Test
    void moveIntoPlaceWithoutReplacingKeepsATargetThatAppeared() throws IOException {
        Path source = Files.writeString(dir.resolve("source"), "new");
        Path target = Files.writeString(dir.resolve("target"), "old");
        assertThatThrownBy(() -> SafeFiles.moveIntoPlace(source, target, SafeFiles.Existing.REFUSE))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(target)).isEqualTo("old");
        Files.delete(target);
        SafeFiles.moveIntoPlace(source, target, SafeFiles.Existing.REFUSE);
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(names()).containsExactly("target");
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("cache"), "");
        assertThatThrownBy(() -> SafeFiles.writeString(file.resolve("m.gguf"), SafeFiles.Existing.REFUSE, "x"))
                .hasMessageContaining(file + " is not a directory");
    }

    @Test
    void describeSaysWhatIsWrongWithAPath() {
        assertThat(SafeFiles.describe(new AccessDeniedException("/x"))).isEqualTo("/x: permission denied");
        assertThat(SafeFiles.describe(new IOException("plain"))).isEqualTo("plain");
    }
}
