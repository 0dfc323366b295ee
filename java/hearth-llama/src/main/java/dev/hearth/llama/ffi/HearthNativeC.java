package dev.hearth.llama.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.llama.NativeLibraryException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bindings for libhearth_native (native/hearth_native.h): llama.cpp's chat library behind a C ABI of strings.
 * Loaded after the llama.cpp libraries, from {@code -Dhearth.shim}, {@code HEARTH_SHIM}, a
 * {@code libhearth_native.so} in the natives directory itself, or the native/ build that scripts/install-natives.sh
 * makes. Whichever it is, it is paired with the natives in use: their own {@code libllama-common.so} is loaded first,
 * so the dynamic linker binds the shim to it (and to the loaded libllama) by soname, and after loading every llama.cpp
 * library the process maps is checked to come from the natives directory, so one process never holds two builds.
 */
public final class HearthNativeC {
    /** The ABI version of native/hearth_native.h these bindings are written against. */
    public static final int ABI_VERSION = 6;

    private static final String COMMON = "libllama-common.so";
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = load();

    private HearthNativeC() {
    }

    /** Where the shim is loaded from for the natives in {@code natives}. */
    public static Path location(Path natives) {
        String explicit = System.getProperty("hearth.shim", System.getenv("HEARTH_SHIM"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path beside = natives.resolve("libhearth_native.so");
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        return NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                .resolve("native-build").resolve("libhearth_native.so");
    }

    private static SymbolLookup load() {
        Path natives = NativeLibraries.load().directory();
        Path path = location(natives);
        if (!Files.isRegularFile(path)) {
            throw new NativeLibraryException("libhearth_native (llama.cpp's chat library bridge) not found at " + path
                    + "; run scripts/install-natives.sh, which builds it with cmake and a C++ compiler");
        }
        Path common = natives.resolve(COMMON);
        if (!Files.isRegularFile(common)) {
            throw new NativeLibraryException("the llama.cpp natives in " + natives + " have no " + COMMON
                    + " (llama.cpp's chat library), which chat templates and JSON schemas need; use a build that"
                    + " includes it (llama.cpp's LLAMA_BUILD_COMMON with shared libraries) or the pinned natives of"
                    + " scripts/install-natives.sh");
        }
        SymbolLookup.libraryLookup(common, Arena.global());
        SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
        NativeLibraries.checkMappedFrom(natives, "libhearth_native at " + path + " brought in");
        NativeLibraries.shimLoaded = true;
        return lookup;
    }

    /**
     * Drops what the shim keeps for a vocabulary; called before the model that owns the vocabulary is freed. Only
     * when {@link NativeLibraries#shimLoaded()}: calling this class loads the shim.
     */
    public static void forgetVocab(MemorySegment vocab) {
        try {
            hearth_vocab_forget.invokeExact(vocab);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private static MethodHandle fn(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new NativeLibraryException(
                "libhearth_native has no symbol " + name + "; rebuild it with scripts/install-natives.sh"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    public static final MethodHandle hearth_native_abi_version = fn("hearth_native_abi_version", FunctionDescriptor.of(JAVA_INT));
    public static final MethodHandle hearth_free = fn("hearth_free", FunctionDescriptor.ofVoid(ADDRESS));
    public static final MethodHandle hearth_chat_templates_init = fn("hearth_chat_templates_init", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_chat_templates_free = fn("hearth_chat_templates_free", FunctionDescriptor.ofVoid(ADDRESS));
    public static final MethodHandle hearth_chat_templates_info = fn("hearth_chat_templates_info", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_chat_apply = fn("hearth_chat_apply", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_chat_parse = fn("hearth_chat_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_sampler_accept = fn("hearth_sampler_accept", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    public static final MethodHandle hearth_sampler_sample = fn("hearth_sampler_sample", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_sampler_sample_counts = fn("hearth_sampler_sample_counts", FunctionDescriptor.ofVoid(ADDRESS));
    public static final MethodHandle hearth_sampler_init_grammar = fn("hearth_sampler_init_grammar", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG, ADDRESS, ADDRESS));
    public static final MethodHandle hearth_vocab_forget = fn("hearth_vocab_forget", FunctionDescriptor.ofVoid(ADDRESS));
    public static final MethodHandle hearth_json_schema_to_grammar = fn("hearth_json_schema_to_grammar", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    static {
        try {
            int version = (int) hearth_native_abi_version.invokeExact();
            if (version != ABI_VERSION) {
                throw new NativeLibraryException("libhearth_native has ABI version " + version + ", Hearth expects "
                        + ABI_VERSION + "; rebuild it with scripts/install-natives.sh");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new NativeLibraryException("cannot call libhearth_native: " + t, t);
        }
    }

    /**
     * Calls a shim function of the shape {@code int f(..., char** out, char** error)} and returns {@code *out};
     * a non-zero status becomes a {@link ShimException} with the shim's message. Strings are freed here.
     */
    public static String call(ShimCall call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = arena.allocate(ADDRESS);
            int status = call.invoke(arena, out, error);
            if (status != 0) {
                String message = takeString(error.get(ADDRESS, 0));
                throw new ShimException(message == null ? "unknown error" : message);
            }
            return takeString(out.get(ADDRESS, 0));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A call into the shim, given an arena for arguments and the two out-parameters. */
    @FunctionalInterface
    public interface ShimCall {
        int invoke(Arena arena, MemorySegment out, MemorySegment error) throws Throwable;
    }

    /** An error the shim reported (a C++ exception caught on the native side). */
    public static final class ShimException extends RuntimeException {
        public ShimException(String message) {
            super(message);
        }
    }

    /** Reads a string the shim returned and frees it; null for NULL. */
    public static String takeString(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) {
            return null;
        }
        String s = p.reinterpret(Long.MAX_VALUE).getString(0);
        try {
            hearth_free.invokeExact(p);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
        return s;
    }
}
