package dev.hearth.cli;

import dev.hearth.host.Catalog;
import dev.hearth.host.ModelPuller;
import dev.hearth.host.ModelStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth models: the model cache and the catalog. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List, inspect, pull and remove models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Info.class, ModelsCommand.Pull.class,
                ModelsCommand.Remove.class, ModelsCommand.Scan.class})
final class ModelsCommand implements Callable<Integer>, TakesEnvironment {
    /** Where settings come from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        System.err.println("usage: hearth models list | scan | info NAME | pull NAME [--url URL --sha256 HEX] | rm NAME");
        return 2;
    }

    ModelStore store() {
        return ModelStore.fromEnvironment(env);
    }

    /** Why a downloaded file is not a model any installed backend reads (empty: one reads it). */
    java.util.Optional<String> unreadable(java.nio.file.Path file) {
        try (dev.hearth.runtime.Hearth hearth = dev.hearth.runtime.Hearth.fromEnvironment(env)) {
            return hearth.unreadable(file);
        }
    }

    Catalog catalog() throws IOException {
        return dev.hearth.runtime.Hearth.catalog(env);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Models in the cache, the catalog's, and"
            + " every model Hearth knows with where it came from (SOURCE: declared, cache, dir:PATH, server:URL,"
            + " catalog).", "Folders and servers to look in: hearth.toml's [discovery], HEARTH_MODEL_DIRS."})
    static final class ListModels implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintStream out = System.out;
            var store = parent.store();
            out.printf("%-34s %10s  %s%n", "NAME (in " + store.directory() + ")", "SIZE", "SHA256");
            for (var m : store.list()) {
                out.printf("%-34s %10s  %s%n", Printable.of(m.name()), mib(m.size()),
                        m.sha256().isEmpty() ? "-" : m.sha256());
            }
            try {
                Catalog c = parent.catalog();
                out.printf("%ncatalog (pull by name; default %s):%n", c.defaultModel());
                for (var e : c.model()) {
                    out.printf("  %-32s %-8s %-20s %s%n", e.name(), e.quant(), e.license(), String.join(", ", e.strengths()));
                }
            } catch (IllegalArgumentException | IOException noCatalog) {
                System.err.println("hearth: " + noCatalog.getMessage());
            }
            out.printf("%nevery model Hearth knows (SOURCE: where it came from; hearth models scan looks again):%n");
            try (dev.hearth.runtime.Hearth hearth = dev.hearth.runtime.Hearth.fromEnvironment(parent.env)) {
                DiscoveredTable.print(hearth.discovery().latest(), out, System.err);
            } catch (IllegalArgumentException | IllegalStateException noHearth) {
                System.err.println("hearth: " + noHearth.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, description = {"Look for models now: GGUF files in the"
            + " cache and in the folders hearth.toml's [discovery] dirs and HEARTH_MODEL_DIRS name, ONNX model"
            + " directories there, and the models [discovery] servers list (with their health).",
            "A file that is not a model Hearth can run is skipped with a note saying why."})
    static final class Scan implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            try (dev.hearth.runtime.Hearth hearth = dev.hearth.runtime.Hearth.fromEnvironment(parent.env)) {
                var scan = hearth.discovery().scan();
                DiscoveredTable.print(scan, System.out, System.err);
                System.out.printf("%d models, %d skipped%n", scan.models().size(), scan.skipped().size());
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "A cached model's metadata.")
    static final class Info implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            var m = parent.store().model(name);
            System.out.printf("%s%n  file:          %s (%s)%n  sha256:        %s%n", name, m.path(), mib(m.size()),
                    m.sha256().isEmpty() ? "(not recorded)" : m.sha256());
            try (dev.hearth.runtime.Hearth hearth = dev.hearth.runtime.Hearth.fromEnvironment(parent.env)) {
                hearth.metadata(m.path().toString()).forEach((key, value) ->
                        System.out.printf("  %-14s %s%n", key + ":", value));
            }
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = {
            "Download a model from the catalog by name, or any by --url and --sha256.",
            "Resumes an interrupted download; verifies the hash; never replaces a good model with a bad one."})
    static final class Pull implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--url", description = "download from this address instead of the catalog's")
        URI url;

        @Option(names = "--sha256", description = "the file's expected sha256 (hex)")
        String sha256;

        @Override
        public Integer call() throws IOException, InterruptedException {
            URI from = url;
            String hash = sha256 == null ? "" : sha256;
            if (url != null && !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
                throw new IllegalArgumentException("--url must be an http:// or https:// address, not " + url);
            }
            if (from == null) {
                var entry = parent.catalog().find(name).orElseThrow(() -> new IllegalArgumentException("no model "
                        + name + " in the catalog; `hearth models list` shows them, or pull by --url URL --sha256 HEX"));
                from = entry.uri();
                hash = hash.isEmpty() ? entry.sha256() == null ? "" : entry.sha256() : hash;
            }
            if (!hash.isEmpty() && !hash.matches("(?i)[0-9a-f]{64}")) {
                throw new IllegalArgumentException("--sha256 must be 64 hexadecimal digits");
            }
            long[] last = {0};
            boolean[] drawn = {false};
            long start = System.nanoTime();
            ModelPuller.Result r;
            try {
                r = new ModelPuller(parent.store(), parent::unreadable).pull(name, from, hash, (bytes, total) -> {
                    long now = System.nanoTime();
                    if (now - last[0] > 200_000_000L || bytes == total) {
                        last[0] = now;
                        drawn[0] = true;
                        double rate = bytes / 1048576.0 / Math.max(1e-3, (now - start) / 1e9);
                        System.err.print("\r" + bar(bytes, total) + String.format(Locale.ROOT, " %.1f MiB/s   ",
                                rate));
                    }
                });
            } finally {
                if (drawn[0]) {
                    System.err.println(); // the bar's line ends here: a message after it gets a line of its own
                }
            }
            System.out.printf("%s -> %s (%s)%nsha256 %s%s%n", name, r.path(), mib(r.bytes()), r.sha256(),
                    hash.isEmpty() ? "  (not verified: no hash was given; record it in the catalog to pin the file)"
                            : "  (verified)");
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a model from the cache.")
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            if (!parent.store().remove(name)) {
                System.err.println("hearth: no model " + name + " in " + parent.store().directory());
                return 1;
            }
            System.out.println("removed " + name);
            return 0;
        }
    }

    static String bar(long bytes, long total) {
        if (total <= 0) {
            return mib(bytes);
        }
        int width = 30, done = (int) (width * bytes / total);
        return "[" + "=".repeat(done) + (done < width ? ">" + " ".repeat(width - done - 1) : "") + "] "
                + String.format(Locale.ROOT, "%3d%% %s / %s", 100 * bytes / total, mib(bytes), mib(total));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
