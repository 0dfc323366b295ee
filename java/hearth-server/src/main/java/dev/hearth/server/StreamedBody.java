package dev.hearth.server;

import dev.hearth.api.CallCancelledException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response written piece by piece, each piece flushed: the status and headers go out with the first, so a request
 * refused before anything was generated still gets its own status and error body. A client that went away surfaces as
 * {@link CallCancelledException}: thrown from a sink, it cancels the generation (the engine frees the slot at its next
 * step) and the ledger records the call cancelled. The framing ({@link EventStream}'s events, {@link JsonLines}'
 * lines) is the caller's. Used by the one thread that answers the request.
 */
final class StreamedBody implements AutoCloseable {
    private final ServerResponse res;
    private final String contentType;
    private final Map<String, String> headers;
    private OutputStream out;

    StreamedBody(ServerResponse res, String contentType, Map<String, String> headers) {
        this.res = res;
        this.contentType = contentType;
        this.headers = headers;
    }

    boolean started() {
        return out != null;
    }

    void write(String text) {
        try {
            if (out == null) {
                res.status(200);
                res.header("content-type", contentType);
                res.header("cache-control", "no-cache");
                headers.forEach(res::header);
                out = res.outputStream();
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | java.io.UncheckedIOException | io.helidon.webserver.CloseConnectionException e) {
            // Helidon reports a write to a closed socket as a ServerConnectionException (a CloseConnectionException)
            throw new CallCancelledException("the client closed the connection mid-stream, so its answer was cancelled",
                    e);
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException | RuntimeException gone) {
                // the client left; nothing more to tell it
            }
        }
    }
}
