package dev.hearth.remote;

import dev.hearth.api.ChatResponse;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ProviderException.TimedOut.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One HTTP exchange with its deadlines: the {@link Deadlines} loop aborts it when the first token, the next chunk
 * or the whole answer is late, and the reader then learns which deadline passed. Interrupting the reading thread
 * aborts it too. Not thread-safe: one reader.
 */
final class HttpCall implements AutoCloseable {
    private final String provider;
    private final Timeouts timeouts;
    private final boolean streaming;
    private final CompletableFuture<HttpResponse<InputStream>> future;
    private final long start = System.nanoTime();
    private volatile long lastActivity = start;
    private volatile boolean flowing;
    private volatile boolean done;
    private volatile Phase fired;
    private final BodyStream body;
    private HttpResponse<InputStream> response;

    private HttpCall(String provider, Timeouts timeouts, boolean streaming, BodyStream body,
            CompletableFuture<HttpResponse<InputStream>> future) {
        this.provider = provider;
        this.timeouts = timeouts;
        this.streaming = streaming;
        this.body = body;
        this.future = future;
        Deadlines.watch(this);
    }

    /**
     * Sends the request and waits for the response head, within the connect and first-token deadlines (a
     * non-streamed answer has only the total deadline: its head comes when the whole answer is ready).
     */
    static HttpCall open(HttpClient client, HttpRequest request, Timeouts timeouts, String provider, boolean streaming)
            throws InterruptedException {
        BodyStream body = new BodyStream();
        HttpCall call = new HttpCall(provider, timeouts, streaming, body, client.sendAsync(request, info -> body));
        try {
            call.response = call.future.get();
            if (call.fired != null) { // the deadline passed just as the head came
                call.close();
                throw call.timedOut(null);
            }
            return call;
        } catch (InterruptedException e) {
            call.close();
            throw e;
        } catch (CancellationException e) {
            call.close();
            throw call.timedOut(null);
        } catch (ExecutionException e) {
            call.close();
            if (call.fired != null) {
                throw call.timedOut(null);
            }
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new ProviderException.TimedOut(provider, Phase.CONNECT, timeouts.connect(), null);
            }
            throw new ProviderException.ConnectionFailed(provider, unreachable(request.uri(), provider, cause),
                    cause);
        }
    }

    int status() {
        return response.statusCode();
    }

    HttpHeaders headers() {
        return response.headers();
    }

    /** The whole body as text (for error answers and non-streamed replies). */
    String bodyText() throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next line of the body without its line end, or null at its end. */
    String readLine() throws IOException {
        String line = body.readLine();
        lastActivity = System.nanoTime();
        return line;
    }

    /** The answer has begun: from now on the idle deadline applies between chunks instead of the first-token one. */
    void flowing() {
        lastActivity = System.nanoTime();
        flowing = true;
    }

    /** The deadline that aborted this call, or null. */
    Phase fired() {
        return fired;
    }

    ProviderException.TimedOut timedOut(ChatResponse partial) {
        Phase p = fired == null ? Phase.TOTAL : fired;
        Duration limit = switch (p) {
            case CONNECT -> timeouts.connect();
            case FIRST_TOKEN -> timeouts.firstToken();
            case IDLE -> timeouts.idle();
            case TOTAL -> timeouts.total();
        };
        return new ProviderException.TimedOut(provider, p, limit, partial);
    }

    @Override
    public void close() {
        done = true;
        Deadlines.forget(this);
        abort();
    }

    private void abort() {
        future.cancel(true);
        body.abort(); // drops the connection and wakes a blocked read
    }

    /** Called by the deadline loop: aborts the call if one of its deadlines has passed, and says so. */
    boolean expired(long now) {
        if (done) {
            return true;
        }
        long total = start + timeouts.total().toNanos();
        long due = !streaming ? total
                : flowing ? lastActivity + timeouts.idle().toNanos() : start + timeouts.firstToken().toNanos();
        Phase phase = flowing ? Phase.IDLE : Phase.FIRST_TOKEN;
        if (total <= due) {
            due = total;
            phase = Phase.TOTAL;
        }
        if (now - due < 0) {
            return false;
        }
        fired = phase;
        abort();
        return true;
    }

    /** Why a request got no answer at all, in words a person can act on (not a bare exception name). */
    static String unreachable(java.net.URI uri, String provider, Throwable cause) {
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String variable = provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BASE_URL";
        return switch (cause) {
            case java.net.ConnectException c -> "could not connect to " + where + " (nothing answers there, or the"
                    + " network refuses it); check " + variable + " and that the server is up";
            case java.nio.channels.UnresolvedAddressException u -> "the host " + uri.getHost() + " is unknown; check "
                    + variable + " and the network";
            case javax.net.ssl.SSLException t -> "the TLS handshake with " + where + " failed (" + t.getMessage()
                    + "); check that " + variable + " names an https server with a valid certificate";
            case java.io.IOException io when io.getCause() instanceof java.nio.channels.UnresolvedAddressException ->
                    "the host " + uri.getHost() + " is unknown; check " + variable + " and the network";
            default -> "the request to " + where + " failed before an answer: " + describe(cause);
        };
    }

    static String describe(Throwable t) {
        String m = t == null ? null : t.getMessage();
        return t == null ? "unknown" : t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
