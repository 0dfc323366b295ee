package dev.hearth.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where Hearth processes say what they have loaded: one {@code <pid>.json} per process in a run directory
 * ({@code $HEARTH_HOME/run}), written atomically on every change and removed on close. Each file records when its
 * process started, and {@link #read()} believes a file only while a process with that pid and that start time lives:
 * the files of processes that are gone (or whose pid was reused) are removed, and files that cannot be checked (a
 * planted or damaged one) are skipped and reported. This is what {@code hearth ps} shows.
 */
public final class RunRegistry {
    /** One loaded model of one process: text as the file holds it (the caller escapes it for display). */
    public record Entry(long pid, String model, String device, int gpuLayers, long bytes, int leases,
            Duration keepAlive, String expiresAt) {
    }

    /** What {@link #read()} found: the models of live Hearth processes, and one line per file it skipped, and why. */
    public record Listing(List<Entry> entries, List<String> skipped) {
        public Listing {
            entries = List.copyOf(entries);
            skipped = List.copyOf(skipped);
        }
    }

    /** A file that is not what this registry writes, or whose writer cannot be checked. */
    private static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String why) {
            super(why, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_FILE_BYTES = 1 << 20;
    /** The same process reads as the same start time; the allowance covers the wall clock being set meanwhile. */
    private static final Duration SAME_START = Duration.ofSeconds(2);
    private final Path directory;

    public RunRegistry(Path directory) {
        this.directory = directory;
    }

    /**
     * The run directory a configuration names: {@code HEARTH_RUN_DIR} when it is set, else {@code $HEARTH_HOME/run}
     * (what {@code hearth ps} of every process reads, so a test gives each run a directory of its own).
     */
    public static RunRegistry fromEnvironment(java.util.Map<String, String> env) {
        String run = env.get("HEARTH_RUN_DIR");
        return new RunRegistry(run != null && !run.isBlank() ? Path.of(run)
                : dev.hearth.api.HearthHome.of(env).resolve("run"));
    }

    public Path directory() {
        return directory;
    }

    /** Publishes this process's loaded models (none: removes its file). */
    public void publish(List<ModelHost.LoadedModel> models) {
        ProcessHandle self = ProcessHandle.current();
        Path file = directory.resolve(self.pid() + ".json");
        try {
            if (models.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            ObjectNode root = JSON.createObjectNode().put("pid", self.pid());
            self.info().startInstant().ifPresent(started -> root.put("started", started.toString()));
            ArrayNode array = root.putArray("models");
            for (var m : models) {
                array.addObject().put("model", m.id()).put("device", m.placement().device())
                        .put("gpuLayers", m.placement().gpuLayers()).put("bytes", m.placement().estimate().total())
                        .put("leases", m.leases()).put("keepAlive", m.keepAlive().toString())
                        .put("expiresAt", m.expiresAt() == null ? "" : m.expiresAt().toString());
            }
            SafeFiles.writeString(file, SafeFiles.Existing.REPLACE, JSON.writeValueAsString(root));
        } catch (IOException e) {
            // the state is for display: a failure to write it must not break serving
        }
    }

    /** The loaded models of every live Hearth process, and the files that were skipped. */
    public Listing read() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return new Listing(entries, skipped);
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.json")).sorted().toList()) {
                try {
                    entries.addAll(read(f));
                } catch (BadFile e) {
                    skipped.add(f + ": " + e.getMessage());
                }
            }
        }
        return new Listing(entries, skipped);
    }

    private List<Entry> read(Path f) throws BadFile, IOException {
        long pid;
        try {
            pid = Long.parseLong(f.getFileName().toString().replace(".json", ""));
        } catch (NumberFormatException e) {
            throw new BadFile("its name is not a process id");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            Files.deleteIfExists(f); // a process that died without closing
            return List.of();
        }
        JsonNode root = json(f);
        if (root.path("pid").asLong(-1) != pid) {
            throw new BadFile("it names process " + root.path("pid") + ", not " + pid);
        }
        Instant started = instant(root.path("started").asText(""), "no valid start time of its process");
        Instant live = process.get().info().startInstant().orElseThrow(() -> new BadFile("the start time of process "
                + pid + " cannot be read, so it cannot be checked that this process wrote it"));
        if (Duration.between(started, live).abs().compareTo(SAME_START) > 0) {
            Files.deleteIfExists(f); // the process that wrote it is gone, and its pid belongs to another now
            return List.of();
        }
        checkOwner(f, process.get());
        List<Entry> out = new ArrayList<>();
        for (JsonNode m : root.path("models")) {
            String expiresAt = m.path("expiresAt").asText("");
            if (!expiresAt.isEmpty()) {
                instant(expiresAt, "an expiry time that is not a time");
            }
            out.add(new Entry(pid, m.path("model").asText(), m.path("device").asText(), m.path("gpuLayers").asInt(),
                    m.path("bytes").asLong(), m.path("leases").asInt(), keepAlive(m.path("keepAlive").asText("")),
                    expiresAt));
        }
        return out;
    }

    private static JsonNode json(Path f) throws BadFile, IOException {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadFile("not a regular file");
        }
        if (Files.size(f) > MAX_FILE_BYTES) {
            throw new BadFile("larger than any run file Hearth writes");
        }
        try {
            JsonNode root = JSON.readTree(f.toFile());
            if (root == null || !root.isObject()) {
                throw new BadFile("not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new BadFile("not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
    }

    /** A file written by another user than the one the process runs as was not written by that process. */
    private static void checkOwner(Path f, ProcessHandle process) throws BadFile, IOException {
        Optional<String> user = process.info().user();
        String owner = Files.getOwner(f, LinkOption.NOFOLLOW_LINKS).getName();
        if (user.isPresent() && !user.get().equals(owner)) {
            throw new BadFile("it belongs to user " + owner + " but process " + process.pid() + " runs as "
                    + user.get());
        }
    }

    private static Instant instant(String text, String problem) throws BadFile {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadFile("it records " + problem);
        }
    }

    private static Duration keepAlive(String text) throws BadFile {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadFile("it records a keep-alive that is not a duration");
        }
    }
}
