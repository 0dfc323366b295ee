package dev.hearth.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model cache directory ({@code $HEARTH_HOME/models}, or {@code MODEL_CACHE_DIR}): one {@code NAME.gguf} per model,
 * with a {@code NAME.gguf.sha256} beside it once it has been verified, and {@code .NAME.gguf.part} while it downloads.
 */
public record ModelStore(Path directory) {
    /** A model in the cache. */
    public record Model(String name, Path path, long size, String sha256) {
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
        return directory.resolve("." + path(name).getFileName() + ".part");
    }

    Path hashFile(String name) {
        return directory.resolve(path(name).getFileName() + ".sha256");
    }

    public List<Model> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".gguf") && !p.getFileName().toString()
                    .startsWith(".")).sorted().map(p -> model(p.getFileName().toString().replaceFirst("\\.gguf$", "")))
                    .toList();
        }
    }

    public Model model(String name) {
        Path p = path(name);
        try {
            String hash = Files.exists(hashFile(name)) ? Files.readString(hashFile(name)).strip() : "";
            return new Model(name, p, Files.size(p), hash);
        } catch (IOException e) {
            throw new IllegalArgumentException("no model " + name + " in " + directory + " (" + e.getMessage() + ")", e);
        }
    }

    /** Removes a model (and its hash and any partial download); false if there was none. */
    public boolean remove(String name) throws IOException {
        boolean removed = Files.deleteIfExists(path(name));
        Files.deleteIfExists(hashFile(name));
        Files.deleteIfExists(partial(name));
        return removed;
    }
}
