package dev.hearth.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as an InputStream that can be aborted from another thread and whose reads end when the reading
 * thread is interrupted: the JDK's own {@code ofInputStream} does neither promptly, and a client must stop a stalled
 * stream when its deadline passes and a caller's cancel must end the exchange at once. Buffers are requested one at
 * a time, so a slow reader holds the server back instead of filling memory.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();
    private static final Object ABORTED = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private Object finished;

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        queue.add(items);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /** Ends the exchange from any thread: the connection is dropped and a blocked read fails at once. */
    void abort() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        queue.add(ABORTED);
    }

    @Override
    public int read() throws IOException {
        ByteBuffer b = buffer();
        return b == null ? -1 : b.get() & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer b = buffer();
        if (b == null) {
            return -1;
        }
        int n = Math.min(len, b.remaining());
        b.get(out, off, n);
        return n;
    }

    /**
     * The next line without its line end (LF or CRLF), decoded as UTF-8, or null at the end of the body. Scans the
     * buffers directly rather than byte by byte.
     */
    String readLine() throws IOException {
        byte[] line = null;
        int length = 0;
        while (true) {
            ByteBuffer b = buffer();
            if (b == null) {
                return line == null ? null : decode(line, length);
            }
            int start = b.position(), limit = b.limit(), end = start;
            while (end < limit && b.get(end) != '\n') {
                end++;
            }
            int n = end - start;
            if (line == null) {
                line = new byte[Math.max(256, n)];
            } else if (length + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            b.get(line, length, n);
            length += n;
            if (end < limit) {
                b.get(); // the '\n'
                return decode(line, length);
            }
        }
    }

    private static String decode(byte[] line, int length) {
        int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new String(line, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        abort();
    }

    @SuppressWarnings("unchecked")
    private ByteBuffer buffer() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (finished != null) {
                return fail(finished);
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort();
                throw new InterruptedIOException("the read was interrupted");
            }
            if (next instanceof List<?> list) {
                buffers = ((List<ByteBuffer>) list).iterator();
                subscription.request(1);
            } else {
                finished = next;
            }
        }
        return current;
    }

    private ByteBuffer fail(Object how) throws IOException {
        if (how == END) {
            return null;
        }
        if (how == ABORTED) {
            throw new IOException("the exchange was aborted");
        }
        Throwable t = (Throwable) how;
        throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    }
}
