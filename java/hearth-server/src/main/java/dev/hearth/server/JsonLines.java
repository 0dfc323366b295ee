package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One response as JSON lines ({@code application/x-ndjson}, Ollama's streams), each line flushed. The status and
 * headers go out with the first line, so a request refused before anything was generated still gets its own status
 * and error body. Used by the one thread that answers the request.
 */
final class JsonLines implements AutoCloseable {
    private final ServerResponse res;
    private final Map<String, String> headers;
    private OutputStream out;

    JsonLines(ServerResponse res, Map<String, String> headers) {
        this.res = res;
        this.headers = headers;
    }

    boolean started() {
        return out != null;
    }

    /** Writes one line; a client that went away cancels the call ({@link EventStream#clientGone}). */
    void send(JsonNode line) {
        try {
            if (out == null) {
                res.status(200);
                res.header("content-type", "application/x-ndjson");
                headers.forEach(res::header);
                out = res.outputStream();
            }
            out.write((Replies.text(line) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException | io.helidon.webserver.CloseConnectionException e) {
            throw EventStream.clientGone(e);
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
