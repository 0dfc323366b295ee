package dev.hearth.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records finished calls off the request path: {@link #submit} queues a {@link Completion} and returns at once; one
 * thread writes what is queued through {@link Ledger#complete}, up to {@code batchSize} calls per transaction. A batch
 * that fails is written again call by call, so one bad completion (an unknown call id) costs only itself; what still
 * fails is logged and counted ({@link #failed()}). Until a completion is written its reservation stays open, which
 * budgets count as spent at the estimate: late, never low. Thread-safe.
 */
public final class Recorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final Ledger ledger;
    private final int batchSize;
    private final ArrayBlockingQueue<Completion> queue;
    private final Thread writer;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long processed; // guarded by this
    private volatile boolean closed;

    /** A recorder writing to {@code ledger} (which it does not close), holding at most {@code capacity} calls. */
    public Recorder(Ledger ledger, int batchSize, int capacity) {
        if (batchSize < 1 || capacity < batchSize) {
            throw new IllegalArgumentException("a recorder needs batchSize >= 1 and capacity >= batchSize; got "
                    + batchSize + " and " + capacity);
        }
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("hearth-ledger-recorder").start(this::run);
    }

    /**
     * Queues {@code done}; returns {@code false} when the queue is full (the caller may then write it itself with
     * {@link Ledger#complete}). After {@link #close()} it throws {@link IllegalStateException}.
     */
    public boolean submit(Completion done) {
        if (closed) {
            throw new IllegalStateException("the recorder is closed; write to the ledger directly");
        }
        if (!queue.offer(done)) {
            return false;
        }
        submitted.incrementAndGet();
        return true;
    }

    /** Waits until every completion submitted before this call has been written (or has failed). */
    public void flush() throws InterruptedException {
        long target = submitted.get();
        synchronized (this) {
            while (processed < target) {
                wait();
            }
        }
    }

    /** Calls written so far. */
    public long written() {
        return written.get();
    }

    /** Calls that could not be written, even one by one. */
    public long failed() {
        return failed.get();
    }

    private void run() {
        List<Completion> batch = new ArrayList<>(batchSize);
        while (true) {
            Completion first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = queue.poll();
            }
            if (first == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
            write(batch);
            synchronized (this) {
                processed += batch.size();
                notifyAll();
            }
            batch.clear();
        }
    }

    private void write(List<Completion> batch) {
        try {
            ledger.complete(batch);
            written.addAndGet(batch.size());
            return;
        } catch (RuntimeException e) {
            LOG.debug("a batch of {} completions failed ({}); writing them one by one", batch.size(), e.toString());
        }
        for (Completion done : batch) {
            try {
                ledger.complete(List.of(done));
                written.incrementAndGet();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.warn("could not record the end of call {}: {}", done.callId(), e.getMessage());
            }
        }
    }

    /** Writes what is queued, then stops the writer; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
