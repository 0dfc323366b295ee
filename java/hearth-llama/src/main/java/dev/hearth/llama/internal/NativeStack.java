package dev.hearth.llama.internal;

import dev.hearth.llama.ffi.NativeCalls;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the shim calls whose native code recurses on its input (Jinja templates, the chat output parser, JSON schema
 * to grammar) on platform threads with a stack of {@link Budgets#NATIVE_STACK_BYTES}, so that the budgets of
 * {@link Budgets} leave a known margin whatever thread asks: a virtual thread's carrier, the JVM's main thread and
 * ordinary platform threads all have 1 MiB, and a native stack overflow ends the JVM.
 *
 * <p>Threads are created on demand, one per caller waiting at the same moment, and end after a minute idle; a
 * caller already on such a thread runs its call in place. A call waits for its result uninterruptibly (the native
 * code cannot be stopped; the budgets keep it short) and keeps the caller's interrupt status. Only
 * {@link #callWithin} gives up waiting: its thread is then abandoned to the native code, which goes on running.
 */
public final class NativeStack {
    private static final Logger LOG = LoggerFactory.getLogger(NativeStack.class);
    private static final String NAME = "hearth-native-stack-";
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final AtomicInteger ABANDONED = new AtomicInteger();
    private static final ThreadLocal<Boolean> MINE = ThreadLocal.withInitial(() -> false);
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> Thread.ofPlatform().daemon().name(NAME + THREADS.incrementAndGet())
                    .stackSize(Budgets.NATIVE_STACK_BYTES).unstarted(() -> {
                        MINE.set(true);
                        task.run();
                    }));

    private NativeStack() {
    }

    /** A native call that did not end within its deadline; it goes on in the background. */
    public static final class OverdueException extends RuntimeException {
        public OverdueException(String message) {
            super(message);
        }
    }

    /** Runs {@code call} on a large stack and returns its result; what it throws is rethrown here. */
    public static <T> T call(Callable<T> call) {
        if (onNativeStack()) {
            return inPlace(call);
        }
        Future<T> future = POOL.submit(call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw NativeCalls.rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Like {@link #call}, but waits at most {@code deadline}: past it, throws {@link OverdueException} and leaves
     * the call running on its thread (native code cannot be stopped from Java); {@code abandoned} then runs, on the
     * caller's thread, so that the owner stops using, and never frees, what the call may still hold. An interrupt
     * does not end the wait early (it would abandon a call that is about to finish); it is kept for the caller.
     */
    public static <T> T callWithin(Duration deadline, Callable<T> call, Runnable abandoned) {
        if (onNativeStack()) {
            return inPlace(call);
        }
        Future<T> future = POOL.submit(call);
        long end = System.nanoTime() + deadline.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw NativeCalls.rethrow(e.getCause());
                } catch (TimeoutException e) {
                    abandoned.run();
                    LOG.warn("a native call ran past {} and was abandoned to its thread ({} abandoned so far); it"
                            + " uses a core until it ends", deadline, ABANDONED.incrementAndGet());
                    throw new OverdueException("did not finish within " + deadline.toSeconds() + " s");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the calling thread is one of these large-stack threads. */
    public static boolean onNativeStack() {
        return MINE.get();
    }

    private static <T> T inPlace(Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw NativeCalls.rethrow(e);
        }
    }
}
