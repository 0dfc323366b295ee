package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.CallCancelledException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One response as server-sent events ({@code data: JSON} lines, each flushed). The status and headers go out with the
 * first event, so a request refused before anything was generated still gets its own status and error body. Used by
 * the one thread that answers the request.
 */
final class EventStream implements AutoCloseable {
    private final ServerResponse res;
    private final Map<String, String> headers;
    private OutputStream out;

    EventStream(ServerResponse res, Map<String, String> headers) {
        this.res = res;
        this.headers = headers;
    }

    boolean started() {
        return out != null;
    }

    /**
     * Writes one event. A client that went away surfaces as {@link CallCancelledException}: thrown from the sink, it
     * cancels the generation (the engine frees the slot at its next step) and the ledger records the call cancelled.
     */
    void send(JsonNode event) {
        write("data: " + Replies.text(event) + "\n\n");
    }

    /** One event with its name ({@code event: NAME}), as Anthropic's stream has them. */
    void send(String name, JsonNode event) {
        write("event: " + name + "\ndata: " + Replies.text(event) + "\n\n");
    }

    void done() {
        write("data: [DONE]\n\n");
    }

    private void write(String text) {
        try {
            if (out == null) {
                res.status(200);
                res.header("content-type", "text/event-stream; charset=utf-8");
                res.header("cache-control", "no-cache");
                headers.forEach(res::header);
                out = res.outputStream();
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | java.io.UncheckedIOException | io.helidon.webserver.CloseConnectionException e) {
            throw clientGone(e);
        }
    }

    /**
     * What a failed write to a streaming client becomes (here and in {@link JsonLines}): the call is cancelled. Helidon
     * reports a write to a closed socket as a ServerConnectionException (a CloseConnectionException).
     */
    static CallCancelledException clientGone(Exception e) {
        return new CallCancelledException("the client closed the connection mid-stream, so its answer was cancelled", e);
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
