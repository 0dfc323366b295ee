package dev.hearth.llama;

import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.ffi.NativeLibraries;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Where Hearth keeps and finds the llama.cpp natives, and what they report about this machine. */
public final class Natives {
    private Natives() {
    }

    /** The pinned llama.cpp release. */
    public static String release() {
        return NativeLibraries.LLAMA_CPP_RELEASE;
    }

    /** Hearth's cache directory ({@code -Dhearth.home}, {@code HEARTH_HOME}, or ~/.cache/hearth). */
    public static Path hearthHome() {
        return NativeLibraries.hearthHome();
    }

    /** Loads the natives if needed and returns the directory they came from. */
    public static Path directory() {
        return NativeLibraries.load().directory();
    }

    /** llama.cpp's summary of the CPU features and backends in use. */
    public static String systemInfo() {
        NativeLibraries.load();
        try {
            return LlamaC.string((MemorySegment) LlamaC.llama_print_system_info.invokeExact());
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
