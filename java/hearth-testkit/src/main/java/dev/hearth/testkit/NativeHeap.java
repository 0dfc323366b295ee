package dev.hearth.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * The C heap as a leak test reads it: where llama.cpp puts weights read without mmap, KV caches and compute buffers.
 * Unlike the process's resident size it does not move with the Java heap. Needs glibc 2.33+ (mallinfo2).
 */
public final class NativeHeap {
    private NativeHeap() {
    }

    /**
     * The C heap once the JVM's own short-lived native buffers (freed when the collector finds them unreachable) are
     * gone: the JVM mallocs too, and that must not be read as a model's memory.
     */
    public static long settled() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return inUse();
    }

    /** Bytes the C heap holds now (glibc's mallinfo2: in-use small blocks plus mmapped large ones). */
    public static long inUse() {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MemorySegment info = (MemorySegment) linker.downcallHandle(
                    linker.defaultLookup().find("mallinfo2").orElseThrow(),
                    FunctionDescriptor.of(MemoryLayout.structLayout(java.util.Collections.nCopies(10,
                            ValueLayout.JAVA_LONG).toArray(MemoryLayout[]::new))))
                    .invokeExact((SegmentAllocator) arena);
            long hblkhd = info.getAtIndex(ValueLayout.JAVA_LONG, 4), uordblks = info.getAtIndex(ValueLayout.JAVA_LONG, 7);
            return hblkhd + uordblks;
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 is not available (glibc 2.33+ is needed)", t);
        }
    }
}
