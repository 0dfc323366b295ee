package dev.hearth.cli;

import dev.hearth.runtime.DiscoveredModel;
import dev.hearth.runtime.ModelDiscovery;
import java.io.PrintStream;
import java.util.Locale;

/** The one printer of a discovery scan: a row per model with where it came from, then what was skipped and why. */
final class DiscoveredTable {
    private DiscoveredTable() {
    }

    static void print(ModelDiscovery.Scan scan, PrintStream out, PrintStream notes) {
        out.printf("%-32s %-28s %-18s %-9s %-16s %10s %10s  %s%n", "NAME", "SOURCE", "KIND", "QUANT", "LICENCE",
                "SIZE", "MEMORY", "HEALTH");
        for (DiscoveredModel m : scan.models()) {
            out.printf(Locale.ROOT, "%-32s %-28s %-18s %-9s %-16s %10s %10s  %s%n", Printable.of(m.name()),
                    Printable.of(m.source()), Printable.of(m.kind()), dash(m.quantization()), Printable.of(m.licence()),
                    m.bytes() == 0 ? "-" : ModelsCommand.mib(m.bytes()),
                    m.memoryBytes() == 0 ? "-" : ModelsCommand.mib(m.memoryBytes()), dash(m.health()));
        }
        for (String skipped : scan.skipped()) {
            notes.println("skipped " + Printable.of(skipped));
        }
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : Printable.of(s);
    }
}
