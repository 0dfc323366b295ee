package dev.hearth.host;

import java.util.List;

/** Finds the GPUs; injected so that placement is tested without one. */
@FunctionalInterface
public interface GpuProbe {
    List<Gpu> gpus();

    /** A machine without GPUs. */
    static GpuProbe none() {
        return List::of;
    }

    /** NVML if the driver is there, else no GPUs, quietly. */
    static GpuProbe detect() {
        return NvmlProbe::discover;
    }
}
