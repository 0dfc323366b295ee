package dev.hearth.cli;

import dev.hearth.host.RunRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * hearth ps: the models that running Hearth processes have loaded. What the run files say is printed escaped
 * ({@link Printable}); files that could not be checked are skipped with one line each on stderr.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "Show the models loaded by running Hearth processes: where, how much memory, keep-alive.")
final class PsCommand implements Callable<Integer>, TakesEnvironment {
    /** Where settings come from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        RunRegistry.Listing listing = RunRegistry.fromEnvironment(env).read();
        for (String skipped : listing.skipped()) {
            System.err.println("hearth: skipped " + Printable.of(skipped));
        }
        var entries = listing.entries();
        if (entries.isEmpty()) {
            System.out.println("no Hearth process has a model loaded");
            return 0;
        }
        System.out.printf("%-8s %-30s %-8s %-10s %-12s %-7s %s%n", "PID", "MODEL", "DEVICE", "GPU LAYERS", "MEMORY",
                "LEASES", "UNTIL");
        for (var e : entries) {
            System.out.printf(Locale.ROOT, "%-8d %-30s %-8s %-10d %-12s %-7d %s%n", e.pid(), Printable.of(e.model()),
                    Printable.of(e.device()), e.gpuLayers(),
                    String.format(Locale.ROOT, "%.1f MiB", e.bytes() / 1048576.0), e.leases(),
                    e.expiresAt().isEmpty() ? (e.leases() > 0 ? "in use" : "forever")
                            : e.expiresAt() + " (keep-alive " + Printable.duration(e.keepAlive()) + ")");
        }
        return 0;
    }
}
