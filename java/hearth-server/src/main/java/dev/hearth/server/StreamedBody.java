package dev.hearth.server;

import dev.hearth.api.CallCancelledException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response written piece by piece, each piece flushed: the status and headers go out with the first, so a request
 * refused before anything was generated still gets its own status and error body. A client that went away surfaces as
 * {@link CallCancelledException}: thrown from a sink, it cancels the generation (the engine frees the slot at its next
 * step) and the ledger records the call cancelled. The framing ({@link EventStream}'s events, {@link JsonLines}'
 * lines) is the caller's. Written by the thread that answers the request and, between its writes, by a keep-alive
 * ({@link #keepAlive}); a lock keeps their pieces whole.
 */
final class StreamedBody implements AutoCloseable {
    private final ServerResponse res;
    private final String contentType;
    private final Map<String, String> headers;
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private long lastFlush;
    private boolean closed;

    StreamedBody(ServerResponse res, String contentType, Map<String, String> headers) {
        this.res = res;
        this.contentType = contentType;
        this.headers = headers;
    }

    boolean started() {
        return out != null;
    }

    /** Writes the pieces and flushes them, so the client has them now. */
    void write(byte[]... pieces) {
        write(true, pieces);
    }

    /**
     * Writes the pieces; with {@code flush} false they wait for the next flushed write, so a piece that always comes
     * right before another (a stream's role chunk before its first content) travels in the same packet.
     */
    void write(boolean flush, byte[]... pieces) {
        lock.lock();
        try {
            if (out == null) {
                res.status(200);
                res.header("content-type", contentType);
                res.header("cache-control", "no-cache");
                headers.forEach(res::header);
                out = res.outputStream();
            }
            for (byte[] piece : pieces) {
                out.write(piece);
            }
            if (flush) {
                out.flush();
                lastFlush = System.nanoTime();
            }
        } catch (IOException | java.io.UncheckedIOException | io.helidon.webserver.CloseConnectionException e) {
            // Helidon reports a write to a closed socket as a ServerConnectionException (a CloseConnectionException)
            throw new CallCancelledException("the client closed the connection mid-stream, so its answer was cancelled",
                    e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code filler} (flushed) when the body has started and nothing was flushed for {@code idleNanos}. Never
     * before the first piece: until then the status is not sent, and a refusal must still be able to choose it.
     *
     * @return nanoseconds until the body would next be idle that long, or -1 once it is closed or the client is gone
     */
    long keepAlive(long idleNanos, byte[] filler) {
        lock.lock();
        try {
            if (closed) {
                return -1;
            }
            if (out == null) {
                return idleNanos;
            }
            long idle = System.nanoTime() - lastFlush;
            if (idle < idleNanos) {
                return idleNanos - idle;
            }
            out.write(filler);
            out.flush();
            lastFlush = System.nanoTime();
            return idleNanos;
        } catch (IOException | RuntimeException gone) { // the next write of the answer finds out and cancels it
            return -1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        closed = true;
        lock.unlock();
        if (out != null) {
            try {
                out.close();
            } catch (IOException | RuntimeException gone) {
                // the client left; nothing more to tell it
            }
        }
    }
}
