package dev.hearth.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where Hearth processes say what they have loaded: one {@code <pid>.json} per process in a run directory
 * ({@code $HEARTH_HOME/run}), written atomically on every change and removed on close; {@link #read()} skips (and
 * removes) the files of processes that are gone. This is what {@code hearth ps} shows.
 */
public final class RunRegistry {
    /** One loaded model of one process. */
    public record Entry(long pid, String model, String device, int gpuLayers, long bytes, int leases, String keepAlive,
            String expiresAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
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
        Path file = directory.resolve(ProcessHandle.current().pid() + ".json");
        try {
            if (models.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(directory);
            ObjectNode root = JSON.createObjectNode().put("pid", ProcessHandle.current().pid());
            ArrayNode array = root.putArray("models");
            for (var m : models) {
                array.addObject().put("model", m.id()).put("device", m.placement().device())
                        .put("gpuLayers", m.placement().gpuLayers()).put("bytes", m.placement().estimate().total())
                        .put("leases", m.leases()).put("keepAlive", m.keepAlive().toString())
                        .put("expiresAt", m.expiresAt() == null ? "" : m.expiresAt().toString());
            }
            Path tmp = directory.resolve("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(root));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the state is for display: a failure to write it must not break serving
        }
    }

    /** The loaded models of every live Hearth process. */
    public List<Entry> read() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.json")).sorted().toList()) {
                long pid = Long.parseLong(f.getFileName().toString().replace(".json", ""));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    JsonNode root = JSON.readTree(f.toFile());
                    for (JsonNode m : root.path("models")) {
                        out.add(new Entry(pid, m.path("model").asText(), m.path("device").asText(),
                                m.path("gpuLayers").asInt(), m.path("bytes").asLong(), m.path("leases").asInt(),
                                m.path("keepAlive").asText(), m.path("expiresAt").asText()));
                    }
                } else {
                    Files.deleteIfExists(f); // a process that died without closing
                }
            }
        }
        return out;
    }
}
