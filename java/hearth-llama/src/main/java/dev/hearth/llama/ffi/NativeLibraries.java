package dev.hearth.llama.ffi;

import dev.hearth.llama.NativeLibraryException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds and loads the pinned llama.cpp libraries once per process: {@code libggml-base}, {@code libggml},
 * {@code libllama}, then the dynamic ggml backends of the same directory (the CPU variants, CUDA where
 * installed) through {@code ggml_backend_load_all_from_path}. The libraries stay loaded for the life of the
 * process; models and contexts are what get unloaded.
 */
public final class NativeLibraries {
    /** The llama.cpp release of the pinned natives (natives.lock). */
    public static final String LLAMA_CPP_RELEASE = "v0.5.0";

    private static volatile Loaded loaded;
    static volatile boolean shimLoaded; // set by HearthNativeC once libhearth_native is in the process
    private static SymbolLookup symbols; // set under the lock before LlamaC is first touched

    private NativeLibraries() {
    }

    /** The loaded libraries: where they came from and the symbols they export. */
    public record Loaded(Path directory, SymbolLookup lookup) {
    }

    /** Loads the libraries if this is the first call; thread-safe; throws a clear error when they are missing. */
    public static Loaded load() {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        synchronized (NativeLibraries.class) {
            if (loaded == null) {
                Loaded candidate = loadFrom(resolveDirectory());
                symbols = candidate.lookup();
                startBackends(candidate.directory());
                loaded = candidate;
            }
            return loaded;
        }
    }

    /** The symbols LlamaC binds to; only valid once {@link #load()} has found the libraries. */
    static synchronized SymbolLookup symbols() {
        if (symbols == null) {
            throw new IllegalStateException("NativeLibraries.load() must run before the bindings are used");
        }
        return symbols;
    }

    private static void startBackends(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            LogBridge.install();
            LlamaC.ggml_backend_load_all_from_path.invokeExact(arena.allocateFrom(dir.toString()));
            LlamaC.llama_backend_init.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new NativeLibraryException("starting the llama.cpp backends failed: " + t, t);
        }
        if (backendCount() == 0) {
            throw new NativeLibraryException("no ggml backend could be loaded from " + dir + " (this CPU may lack"
                    + " the instructions of every prebuilt variant); re-run scripts/install-natives.sh");
        }
    }

    /** The number of ggml devices the loaded backends expose (at least the CPU). */
    public static long backendCount() {
        try {
            return (long) LlamaC.ggml_backend_dev_count.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The directory holding the natives: {@code -Dhearth.natives}, else {@code HEARTH_NATIVES}, else the CUDA
     * build under {@code HEARTH_HOME} when it is installed and an NVIDIA driver is present, else the CPU build.
     */
    public static Path resolveDirectory() {
        Optional<String> explicit = setting("hearth.natives", "HEARTH_NATIVES");
        if (explicit.isPresent()) {
            return Path.of(explicit.get());
        }
        Path release = hearthHome().resolve("llama.cpp").resolve(LLAMA_CPP_RELEASE);
        Path cuda = release.resolve("cuda");
        if (Files.isDirectory(cuda) && Files.exists(Path.of("/proc/driver/nvidia/version"))) {
            return cuda;
        }
        return release.resolve("cpu");
    }

    /**
     * What the CPU backend in use reports about itself ({@code ggml_backend_get_features} of the "CPU" registry: the
     * instruction sets its variant was built for, REPACK, AMX_INT8, ...); empty when it does not say.
     */
    public static Map<String, String> cpuFeatures() {
        load();
        Map<String, String> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = (MemorySegment)
                    LlamaC.ggml_backend_reg_by_name.invokeExact(arena.allocateFrom("CPU"));
            if (reg.equals(MemorySegment.NULL)) {
                return out;
            }
            MemorySegment fn = (MemorySegment)
                    LlamaC.ggml_backend_reg_get_proc_address.invokeExact(reg, arena.allocateFrom("ggml_backend_get_features"));
            if (fn.equals(MemorySegment.NULL)) {
                return out;
            }
            MethodHandle features = Linker.nativeLinker().downcallHandle(fn,
                    FunctionDescriptor.of(ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS));
            // an array of {const char * name; const char * value}, ended by a NULL name; owned by the backend
            MemorySegment array = ((MemorySegment) features.invokeExact(reg))
                    .reinterpret(Long.MAX_VALUE);
            long size = ValueLayout.ADDRESS.byteSize();
            for (long i = 0; i < 256; i++) {
                MemorySegment name = array.get(ValueLayout.ADDRESS, 2 * i * size);
                if (name.equals(MemorySegment.NULL)) {
                    break;
                }
                MemorySegment value = array.get(ValueLayout.ADDRESS, (2 * i + 1) * size);
                out.put(name.reinterpret(256).getString(0), value.equals(MemorySegment.NULL) ? ""
                        : value.reinterpret(256).getString(0));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new NativeLibraryException("cannot read the CPU backend's features: " + t, t);
        }
        return out;
    }

    /**
     * Checks that every llama.cpp or ggml library this process maps is one of the files in {@code natives}: two
     * builds in one process (a shim linked against other natives, a libllama with another soname) would share
     * nothing but symbol names, and the first call across them could corrupt memory. Linux only; a no-op elsewhere.
     */
    public static void checkMappedFrom(Path natives, String what) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return;
        }
        Set<Path> strangers = new TreeSet<>();
        try (Stream<String> lines = Files.lines(maps)) {
            lines.map(line -> line.indexOf('/') < 0 ? "" : line.substring(line.indexOf('/')))
                    .filter(p -> !p.isEmpty() && !p.endsWith(" (deleted)")).distinct().map(Path::of)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return (name.startsWith("libllama") || name.startsWith("libggml")) && name.contains(".so");
                    })
                    .filter(p -> !isFileOf(natives, p)).forEach(strangers::add);
        } catch (IOException e) {
            return;
        }
        if (!strangers.isEmpty()) {
            throw new NativeLibraryException(what + " llama.cpp libraries from outside the natives in use (" + natives
                    + "): " + strangers + ". Build native/ against these natives (cmake -S native -B BUILD"
                    + " -DHEARTH_LLAMA_DIR=...) and put its libhearth_native.so next to them or point HEARTH_SHIM at"
                    + " it, or use the pinned natives of scripts/install-natives.sh");
        }
    }

    private static boolean isFileOf(Path dir, Path mapped) {
        try {
            Path candidate = dir.resolve(mapped.getFileName().toString());
            return Files.exists(candidate) && candidate.toRealPath().equals(mapped.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether libhearth_native has been loaded (asked without loading it). */
    public static boolean shimLoaded() {
        return shimLoaded;
    }

    /** Hearth's cache directory: {@code -Dhearth.home}, else {@code HEARTH_HOME}, else ~/.cache/hearth. */
    public static Path hearthHome() {
        return dev.hearth.api.HearthHome.of(System.getenv());
    }

    private static Optional<String> setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Loaded loadFrom(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new NativeLibraryException("llama.cpp natives not found: " + dir + " does not exist. Run"
                    + " scripts/setup-local-llm.sh (or scripts/install-natives.sh), or point HEARTH_NATIVES at a"
                    + " directory with libllama and libggml.");
        }
        Path base = find(dir, "libggml-base.so");
        Path ggml = find(dir, "libggml.");
        Path llama = find(dir, "libllama.");
        try {
            Arena libraries = Arena.global(); // the libraries are never unloaded
            SymbolLookup lookup = SymbolLookup.libraryLookup(llama, libraries)
                    .or(SymbolLookup.libraryLookup(ggml, libraries))
                    .or(SymbolLookup.libraryLookup(base, libraries));
            return new Loaded(dir, lookup);
        } catch (IllegalArgumentException e) {
            throw new NativeLibraryException("cannot load the llama.cpp libraries from " + dir + ": "
                    + e.getMessage() + ". Re-run scripts/install-natives.sh to reinstall them.", e);
        }
    }

    private static Path find(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".so");
            }).sorted().findFirst().orElseThrow(() -> new NativeLibraryException("no " + prefix + "*.so in " + dir
                    + "; the natives there are incomplete. Re-run scripts/install-natives.sh."));
        } catch (IOException e) {
            throw new NativeLibraryException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
