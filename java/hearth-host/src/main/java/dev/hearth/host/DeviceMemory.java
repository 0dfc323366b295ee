package dev.hearth.host;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory of one device as a weighted semaphore: bytes are granted in FIFO order (a large request is not starved
 * by a stream of small ones: nobody passes a waiter at the head of the queue), and a {@link Lease} returns exactly
 * what it was granted, once. Interruption and deadlines leave the permits as they were.
 */
public final class DeviceMemory {
    private final String device;
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long free;

    private static final class Waiter {
        final long bytes;
        final Condition granted;
        boolean done;

        Waiter(long bytes, Condition granted) {
            this.bytes = bytes;
            this.granted = granted;
        }
    }

    /** Bytes granted from a device; closing returns them (once, however often it is closed). */
    public final class Lease implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        public DeviceMemory device() {
            return DeviceMemory.this;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(bytes);
            }
        }
    }

    /**
     * @param device    a name for messages ("cuda:0", "cpu")
     * @param total     the device's bytes
     * @param reserve   bytes never granted (the driver, the JVM, other programs)
     */
    public DeviceMemory(String device, long total, long reserve) {
        if (total <= 0 || reserve < 0 || reserve >= total) {
            throw new IllegalArgumentException("need 0 <= reserve < total, got total " + total + ", reserve " + reserve);
        }
        this.device = device;
        this.capacity = total - reserve;
        this.free = capacity;
    }

    public String device() {
        return device;
    }

    /** The bytes that may be granted at all. */
    public long capacity() {
        return capacity;
    }

    public long free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    /** The share of the capacity granted, 0 to 1. */
    public double pressure() {
        return 1.0 - (double) free() / capacity;
    }

    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Grants {@code bytes} at once if nobody waits and they are free; null otherwise. */
    public Lease tryAcquire(long bytes) {
        check(bytes);
        lock.lock();
        try {
            if (waiters.isEmpty() && free >= bytes) {
                free -= bytes;
                return new Lease(bytes);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits in line for {@code bytes}, at most {@code timeout}.
     *
     * @throws MemoryUnavailableException when the timeout passes (or the request can never fit), with the numbers
     * @throws InterruptedException when interrupted while waiting; nothing stays granted
     */
    public Lease acquire(long bytes, Duration timeout) throws InterruptedException {
        check(bytes);
        lock.lockInterruptibly();
        try {
            if (waiters.isEmpty() && free >= bytes) {
                free -= bytes;
                return new Lease(bytes);
            }
            Waiter w = new Waiter(bytes, lock.newCondition());
            waiters.addLast(w);
            long nanos = timeout.toNanos();
            try {
                while (!w.done) {
                    if (nanos <= 0) {
                        waiters.remove(w);
                        grant(); // the head may have changed: those behind may fit now
                        throw new MemoryUnavailableException(device + ": " + MemoryUnavailableException.mib(bytes)
                                + " not free within " + timeout.toMillis() + " ms (" + MemoryUnavailableException.mib(free)
                                + " free of " + MemoryUnavailableException.mib(capacity) + ")", bytes, free);
                    }
                    nanos = w.granted.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                if (w.done) {
                    free += bytes; // granted just as the interrupt came: give it back
                } else {
                    waiters.remove(w);
                }
                grant();
                throw e;
            }
            return new Lease(bytes);
        } finally {
            lock.unlock();
        }
    }

    private void check(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("acquire at least one byte, not " + bytes);
        }
        if (bytes > capacity) {
            throw new MemoryUnavailableException(device + " can never hold " + MemoryUnavailableException.mib(bytes)
                    + ": its budget is " + MemoryUnavailableException.mib(capacity), bytes, capacity);
        }
    }

    private void release(long bytes) {
        lock.lock();
        try {
            free += bytes;
            if (free > capacity) {
                throw new IllegalStateException(device + ": more released than granted");
            }
            grant();
        } finally {
            lock.unlock();
        }
    }

    /** Grants the waiters at the head of the line while they fit. Holds the lock. */
    private void grant() {
        assert lock.isHeldByCurrentThread();
        while (!waiters.isEmpty() && waiters.peekFirst().bytes <= free) {
            Waiter w = waiters.pollFirst();
            free -= w.bytes;
            w.done = true;
            w.granted.signal();
        }
    }

    @Override
    public String toString() {
        return device + " (" + MemoryUnavailableException.mib(free()) + " free of "
                + MemoryUnavailableException.mib(capacity) + ")";
    }

}
