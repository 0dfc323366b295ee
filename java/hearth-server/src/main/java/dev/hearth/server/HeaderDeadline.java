package dev.hearth.server;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a client that trickles its request headers (slow loris). Helidon's idle check closes a connection that
 * trickles its request line, but once the line is read it waits for the headers as long as bytes keep coming. This
 * listener notes when a request line arrives on a connection's thread and, if the headers are not complete within the
 * timeout, interrupts that thread: a virtual thread interrupted in a socket read has its socket closed, so the
 * connection ends. Thread-safe; {@link #close} stops its checker.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private final long timeoutNanos;
    private final ConcurrentHashMap<Thread, Long> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("hearth-header-deadline").factory());

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long every = Math.max(100, Math.min(1_000, timeout.toMillis() / 2));
        checker.scheduleWithFixedDelay(this::cutOffLate, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        waiting.put(Thread.currentThread(), System.nanoTime() + timeoutNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        waiting.remove(Thread.currentThread());
    }

    private void cutOffLate() {
        long now = System.nanoTime();
        waiting.forEach((thread, deadline) -> {
            if (now - deadline > 0 && waiting.remove(thread, deadline)) {
                thread.interrupt();
            }
        });
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
