package dev.hearth.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU discovery through NVML ({@code libnvidia-ml.so.1}, shipped with the NVIDIA driver) over FFM: device count,
 * name, total and free memory. No driver, or any NVML error, means no GPUs: logged at debug, never thrown.
 */
final class NvmlProbe {
    private static final Logger LOG = LoggerFactory.getLogger(NvmlProbe.class);
    private static final int NAME_LENGTH = 96;

    private NvmlProbe() {
    }

    static List<Gpu> discover() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup nvml;
            try {
                nvml = SymbolLookup.libraryLookup("libnvidia-ml.so.1", arena);
            } catch (IllegalArgumentException noDriver) {
                LOG.debug("no NVML (libnvidia-ml.so.1): no NVIDIA GPUs");
                return List.of();
            }
            Linker linker = Linker.nativeLinker();
            MethodHandle init = linker.downcallHandle(nvml.find("nvmlInit_v2").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
            MethodHandle shutdown = linker.downcallHandle(nvml.find("nvmlShutdown").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle count = linker.downcallHandle(nvml.find("nvmlDeviceGetCount_v2").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle handle = linker.downcallHandle(nvml.find("nvmlDeviceGetHandleByIndex_v2").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            MethodHandle name = linker.downcallHandle(nvml.find("nvmlDeviceGetName").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            MethodHandle memory = linker.downcallHandle(nvml.find("nvmlDeviceGetMemoryInfo").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            if ((int) init.invokeExact() != 0) {
                LOG.debug("nvmlInit failed: no GPUs used");
                return List.of();
            }
            try {
                MemorySegment n = arena.allocate(JAVA_INT);
                if ((int) count.invokeExact(n) != 0) {
                    return List.of();
                }
                List<Gpu> gpus = new ArrayList<>();
                for (int i = 0; i < n.get(JAVA_INT, 0); i++) {
                    MemorySegment device = arena.allocate(ADDRESS);
                    MemorySegment text = arena.allocate(NAME_LENGTH);
                    MemorySegment info = arena.allocate(3 * 8); // nvmlMemory_t: total, free, used (unsigned long long)
                    if ((int) handle.invokeExact(i, device) != 0) {
                        continue;
                    }
                    MemorySegment d = device.get(ADDRESS, 0);
                    if ((int) name.invokeExact(d, text, NAME_LENGTH) != 0 || (int) memory.invokeExact(d, info) != 0) {
                        continue;
                    }
                    gpus.add(new Gpu(i, text.getString(0), info.get(JAVA_LONG, 0), info.get(JAVA_LONG, 8)));
                }
                return List.copyOf(gpus);
            } finally {
                int ignored = (int) shutdown.invokeExact();
            }
        } catch (Throwable t) {
            LOG.debug("NVML discovery failed: {}", t.toString());
            return List.of();
        }
    }
}
