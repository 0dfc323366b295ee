package dev.hearth.runtime;

import dev.hearth.host.HostParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What this machine offers local models: its memory, and the budget HEARTH_RAM_BUDGET_GIB sets within it. */
final class Machine {
    private static final long FALLBACK = 8L << 30;

    private Machine() {
    }

    /** The host's settings: RAM budget from HEARTH_RAM_BUDGET_GIB (default: the host's share of physical memory). */
    static HostParams hostParams(Map<String, String> env) {
        HostParams params = HostParams.defaults(physicalMemory());
        String budget = env.get("HEARTH_RAM_BUDGET_GIB");
        if (budget == null || budget.isBlank()) {
            return params;
        }
        double gib;
        try {
            gib = Double.parseDouble(budget.strip());
        } catch (NumberFormatException e) {
            gib = Double.NaN;
        }
        if (!(gib > 0) || gib > 1 << 20) {
            throw new IllegalArgumentException("HEARTH_RAM_BUDGET_GIB must be a number of GiB above 0 (e.g. 6 or 0.5),"
                    + " not \"" + budget + "\"");
        }
        return new HostParams(params.keepAlive(), (long) (gib * (1L << 30)), params.gpuReserveBytes(),
                params.partialOffload(), params.pressureThreshold(), params.queueCapacity());
    }

    /** MemTotal from /proc/meminfo; 8 GiB where it cannot be read. */
    static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return FALLBACK;
        }
        return FALLBACK;
    }
}
