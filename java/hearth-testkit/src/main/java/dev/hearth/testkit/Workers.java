package dev.hearth.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Threads for a test whose failures are not lost: whatever a worker throws (an assertion that failed in it included)
 * is kept, and {@link #join()} rethrows it on the test's thread, with the others attached as suppressed, instead of
 * leaving it to show only as a count that came out wrong. Not thread-safe: one test thread starts and joins.
 */
public final class Workers {
    /** A worker's body; it may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /** Starts {@code body} on a virtual thread. */
    public Thread start(Body body) {
        return start(Thread.ofVirtual(), body);
    }

    /** Starts {@code body} on a thread {@code builder} makes (a platform thread, to have one per core). */
    public Thread start(Thread.Builder builder, Body body) {
        Thread t = builder.start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        threads.add(t);
        return t;
    }

    /** Waits for every worker; throws an {@link AssertionError} carrying the first failure if any failed. */
    public void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " of " + threads.size() + " workers failed; the"
                    + " first: " + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Whether any worker is still running. */
    public boolean anyAlive() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    public List<Thread> threads() {
        return List.copyOf(threads);
    }
}
