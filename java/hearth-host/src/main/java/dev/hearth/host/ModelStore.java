package dev.hearth.host;

import dev.hearth.api.io.SafeFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model cache directory ({@code $HEARTH_HOME/models}, or {@code MODEL_CACHE_DIR}): one {@code NAME.gguf} per model,
 * with a {@code NAME.gguf.sha256} beside it once it has been verified; while it downloads, {@code .NAME.gguf.part} and
 * {@code .NAME.gguf.part.source} (where the partial file came from); and {@code .NAME.gguf.lock}, which a pull or a
 * removal holds ({@link #lock}) so that two processes never work on one name at once. Only regular files are models.
 */
public record ModelStore(Path directory) {
    /** A model in the cache. */
    public record Model(String name, Path path, long size, String sha256) {
    }

    /** A held lock on one model name; closing it releases it. */
    public static final class Lock implements Closeable {
        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock; the lock file stays (deleting it would let two holders in)
        }
    }

    /**
     * The cache a configuration names: {@code MODEL_CACHE_DIR} when it is set, else {@code $HEARTH_HOME/models}. The
     * one place this rule is written; the CLI and the router both call it with the environment they were given.
     */
    public static ModelStore fromEnvironment(java.util.Map<String, String> env) {
        String dir = env.get("MODEL_CACHE_DIR");
        return new ModelStore(dir != null && !dir.isBlank() ? Path.of(dir)
                : dev.hearth.api.HearthHome.of(env).resolve("models"));
    }

    public Path path(String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("a model name is a file name without slashes or a leading dot: " + name);
        }
        return directory.resolve(name.endsWith(".gguf") ? name : name + ".gguf");
    }

    Path partial(String name) {
        return hidden(name, ".part");
    }

    /** Where the partial download came from (its URL and validator): see {@link PartialDownload}. */
    Path partialSource(String name) {
        return hidden(name, ".part.source");
    }

    Path hashFile(String name) {
        return directory.resolve(path(name).getFileName() + ".sha256");
    }

    private Path hidden(String name, String suffix) {
        return directory.resolve("." + path(name).getFileName() + suffix);
    }

    /** Creates the cache directory if needed, with a message that says what to do when a file is in its place. */
    void create() throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the model cache " + directory + " is not a directory; set MODEL_CACHE_DIR to a"
                    + " directory (or move the file away)", e);
        }
    }

    /**
     * Takes the lock on {@code name} for as long as the returned lock is open, or fails at once if another process
     * (or another thread) holds it. A file lock, so it holds across processes and is released when the holder dies.
     *
     * @param doing what the holder does ("pulled", "removed"), which a refused caller is told
     */
    public Lock lock(String name, String doing) throws IOException {
        create();
        Path file = hidden(name, ".lock");
        FileChannel channel = SafeFiles.openOrCreate(file);
        try {
            FileLock held = null;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                // another thread of this process holds it: refused as another process would be
            }
            if (held == null) {
                throw new IOException(name + " is being " + holder(file) + "; wait for that to finish (or stop"
                        + " it), then try again");
            }
            channel.truncate(0).write(ByteBuffer.wrap((doing + " by process " + ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return new Lock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What the lock file says its holder is doing ("pulled by process 123"), printable; a guess when it is empty. */
    private static String holder(Path lockFile) {
        try {
            byte[] bytes = Files.readAllBytes(lockFile);
            String said = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.US_ASCII);
            if (said.matches("[a-z]+ by process \\d+")) {
                return said;
            }
        } catch (IOException unreadable) {
            // fall through to the guess
        }
        return "pulled or removed by another process";
    }

    public List<Model> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".gguf") && !p.getFileName().toString()
                    .startsWith(".") && Files.isRegularFile(p)).sorted()
                    .map(p -> model(p.getFileName().toString().replaceFirst("\\.gguf$", ""))).toList();
        }
    }

    public Model model(String name) {
        Path p = path(name);
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(p + " is a directory, not a model; move it out of the model cache");
        }
        try {
            return new Model(name, p, Files.size(p), recordedHash(name));
        } catch (IOException e) {
            throw new IllegalArgumentException("no model " + name + " in " + directory + " (" + SafeFiles.describe(e)
                    + "); `hearth models list` shows the models there", e);
        }
    }

    /** The hash recorded beside a model; empty when none is, or when the file does not hold one. */
    private String recordedHash(String name) throws IOException {
        Path file = hashFile(name);
        if (!Files.isRegularFile(file) || Files.size(file) > 1024) {
            return "";
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).strip();
        return text.matches("[0-9a-fA-F]{64}") ? text : "";
    }

    /**
     * Removes a model (and its hash and any partial download) under the name's lock, so a pull in progress is never
     * cut from under; false if there was no model.
     */
    @SuppressWarnings("try") // the lock is held by being open
    public boolean remove(String name) throws IOException {
        Path model = path(name);
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Lock lock = lock(name, "removed")) {
            boolean removed = Files.isRegularFile(model) && Files.deleteIfExists(model);
            Files.deleteIfExists(hashFile(name));
            Files.deleteIfExists(partial(name));
            Files.deleteIfExists(partialSource(name));
            return removed;
        }
    }
}
