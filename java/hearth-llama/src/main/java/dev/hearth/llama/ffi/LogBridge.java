package dev.hearth.llama.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes llama.cpp's and ggml's log callback to the SLF4J logger {@code llama.cpp}. llama.cpp writes a line in
 * pieces (level CONT continues the previous one), so pieces are joined per thread until a newline. The last
 * error line of each thread is kept, so a failed call can say why it failed.
 */
public final class LogBridge {
    private static final Logger LOG = LoggerFactory.getLogger("llama.cpp");
    private static final int DEBUG = 1, INFO = 2, WARN = 3, ERROR = 4, CONT = 5;
    private static final ThreadLocal<StringBuilder> PENDING = ThreadLocal.withInitial(StringBuilder::new);
    private static final ThreadLocal<int[]> PENDING_LEVEL = ThreadLocal.withInitial(() -> new int[] {INFO});
    private static final ThreadLocal<java.util.List<String>> ERRORS = ThreadLocal.withInitial(java.util.ArrayList::new);
    private static final int KEPT_ERRORS = 4;

    private LogBridge() {
    }

    static void install() throws Throwable {
        var target = MethodHandles.lookup().findStatic(LogBridge.class, "log",
                MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
        MemorySegment stub = LlamaC.upcall(target, LlamaC.LOG_CALLBACK, Arena.global()); // lives as long as the library
        LlamaC.llama_log_set.invokeExact(stub, MemorySegment.NULL);
    }

    /**
     * The error lines llama.cpp logged on this thread since {@link #clearLastError()} (the first few, joined with
     * " / "), cleared by the read; null when there were none.
     */
    public static String takeLastError() {
        java.util.List<String> lines = ERRORS.get();
        String joined = lines.isEmpty() ? null : String.join(" / ", lines);
        lines.clear();
        return joined;
    }

    /** Forgets this thread's error lines, before a call whose failure should be explained. */
    public static void clearLastError() {
        ERRORS.get().clear();
    }

    // Upcall: must never throw (an exception here would abort the JVM).
    private static void log(int level, MemorySegment text, MemorySegment userData) {
        try {
            String piece = LlamaC.string(text);
            if (piece == null) {
                return;
            }
            StringBuilder pending = PENDING.get();
            if (level != CONT) {
                PENDING_LEVEL.get()[0] = level;
            }
            pending.append(piece);
            int newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                emit(PENDING_LEVEL.get()[0], pending.substring(0, newline));
                pending.delete(0, newline + 1);
            }
        } catch (Throwable ignored) {
            // logging must not take the process down
        }
    }

    private static void emit(int level, String line) {
        if (line.isBlank()) {
            return;
        }
        switch (level) {
            case ERROR -> {
                java.util.List<String> lines = ERRORS.get();
                if (lines.size() < KEPT_ERRORS) {
                    lines.add(line.strip());
                }
                LOG.error(line);
            }
            case WARN -> LOG.warn(line);
            case INFO -> LOG.info(line);
            case DEBUG -> LOG.debug(line);
            default -> LOG.trace(line);
        }
    }
}
