package dev.hearth.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one rule for writing a file that a user named or that lives in Hearth's caches (a synthetic model, a pulled
 * model, its hash, the run registry):
 * <ul>
 *   <li>an existing target is replaced only when the caller says so ({@link Existing#REPLACE}), and only when it is a
 *       regular file: a directory, a device, a FIFO or a symbolic link is never replaced nor written through;</li>
 *   <li>the content goes to a new temporary file beside the target, created exclusively (never an existing file,
 *       never through a link), forced to disk and renamed into place, then the directory is forced;</li>
 *   <li>on any failure the temporary file is deleted and the target is as it was.</li>
 * </ul>
 */
public final class SafeFiles {
    /** What to do when the target already exists as a regular file (anything else is never replaced). */
    public enum Existing {
        /** Keep it and fail with a {@link FileAlreadyExistsException}. */
        REFUSE,
        /** Replace it atomically. */
        REPLACE
    }

    /** Writes a file's content to a new, empty channel; returns what the caller wants to know about it. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(FileChannel channel) throws IOException;
    }

    private SafeFiles() {
    }

    /**
     * Writes {@code target} through a temporary file, creating its directory if needed. The target is checked before
     * {@code content} runs (a refused target costs no work) and again when the file is moved into place.
     */
    public static <T> T write(Path target, Existing existing, Content<T> content) throws IOException {
        Path dir = directory(target);
        checkTarget(target, existing);
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean placed = false;
        try {
            T result;
            try (FileChannel channel = createNew(tmp)) {
                result = content.writeTo(channel);
                channel.force(true);
            }
            moveIntoPlace(tmp, target, existing);
            placed = true;
            return result;
        } finally {
            if (!placed) {
                deleteQuietly(tmp);
            }
        }
    }

    /** {@link #write} of a string, as UTF-8. */
    public static void writeString(Path target, Existing existing, String text) throws IOException {
        writeBytes(target, existing, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #write} of bytes. */
    public static void writeBytes(Path target, Existing existing, byte[] content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        write(target, existing, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return null;
        });
    }

    /**
     * Refuses a target that must not be written: anything but a regular file (not following a link), or an existing
     * regular file unless {@code existing} is {@link Existing#REPLACE}. An absent target passes.
     */
    public static void checkTarget(Path target, Existing existing) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(target + " is " + kind(attributes) + ", not a regular file: Hearth never replaces"
                    + " nor writes through one; name a regular file");
        }
        if (existing == Existing.REFUSE) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists already and was kept");
        }
    }

    /** Creates a new, empty file for writing: never an existing one, never through a symbolic link. */
    public static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens an existing regular file (not a link, a device or a FIFO) to append to it. */
    public static FileChannel openToAppend(Path file) throws IOException {
        requireRegular(file);
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens a regular file for writing, creating it if it is absent, never through a link (for a lock file, which
     * several processes open and none replaces).
     */
    public static FileChannel openOrCreate(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            requireRegular(file);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    private static void requireRegular(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is " + kind(attributes) + ", not a regular file; remove it");
        }
    }

    /**
     * Renames a finished file over {@code target} (checked as {@link #checkTarget} does), then forces the directory.
     * With {@link Existing#REFUSE} the file is hard-linked into place, which fails if the target appeared meanwhile,
     * where a rename would replace it; a file system without hard links gets the rename.
     */
    public static void moveIntoPlace(Path source, Path target, Existing existing) throws IOException {
        checkTarget(target, existing);
        if (existing == Existing.REFUSE) {
            try {
                Files.createLink(target, source);
                Files.delete(source);
            } catch (FileAlreadyExistsException appeared) {
                checkTarget(target, existing); // says what is there now
                throw appeared;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } else {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * An I/O failure as a person reads it: the JDK's file exceptions often carry only a path ({@code
     * AccessDeniedException: /x}); this adds what is wrong with it.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
            String what = switch (f) {
                case AccessDeniedException denied -> "permission denied";
                case NoSuchFileException absent -> "no such file or directory";
                case FileAlreadyExistsException exists -> "exists already";
                case NotDirectoryException notDirectory -> "not a directory";
                case DirectoryNotEmptyException notEmpty -> "a directory that is not empty";
                default -> f.getClass().getSimpleName();
            };
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The target's directory, created if needed, with a message that names it when it is not a directory. */
    private static Path directory(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException notADirectory) {
            throw new IOException("cannot write " + target + ": " + dir + " is not a directory", notADirectory);
        }
        return dir;
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return attributes.isOther() ? "a device, FIFO or socket" : "not a regular file";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure that got us here is the one to report
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is atomic
        }
    }
}
