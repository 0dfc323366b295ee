package dev.hearth.host;

import java.time.Duration;

/**
 * How the host uses the machine.
 *
 * @param keepAlive          how long an idle model stays loaded (0: unload at once; negative: never)
 * @param cpuBudgetBytes     RAM the host may fill with models
 * @param gpuReserveBytes    GPU memory never used (driver, other programs)
 * @param partialOffload     whether a model may be split between GPU and CPU when it does not fit the GPU whole
 * @param pressureThreshold  device pressure (0-1) above which idle models are evicted before a new load
 * @param queueCapacity      lease requests that may wait for the scheduler; more are refused at once
 */
public record HostParams(Duration keepAlive, long cpuBudgetBytes, long gpuReserveBytes, boolean partialOffload,
        double pressureThreshold, int queueCapacity) {
    public HostParams {
        if (cpuBudgetBytes <= 0 || gpuReserveBytes < 0 || pressureThreshold <= 0 || pressureThreshold > 1
                || queueCapacity < 1) {
            throw new IllegalArgumentException("need a positive CPU budget, a reserve >= 0, a pressure threshold in"
                    + " (0, 1] and a queue of at least 1");
        }
    }

    /** Five minutes of keep-alive, 75% of RAM (or of {@code ramBytes}), 512 MiB GPU reserve, partial offload on. */
    public static HostParams defaults(long ramBytes) {
        return new HostParams(Duration.ofMinutes(5), ramBytes * 3 / 4, 512L << 20, true, 0.9, 256);
    }

    public HostParams withKeepAlive(Duration d) {
        return new HostParams(d, cpuBudgetBytes, gpuReserveBytes, partialOffload, pressureThreshold, queueCapacity);
    }

    public HostParams withPartialOffload(boolean on) {
        return new HostParams(keepAlive, cpuBudgetBytes, gpuReserveBytes, on, pressureThreshold, queueCapacity);
    }

    public HostParams withPressureThreshold(double t) {
        return new HostParams(keepAlive, cpuBudgetBytes, gpuReserveBytes, partialOffload, t, queueCapacity);
    }
}
