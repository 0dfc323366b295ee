package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** One response as JSON lines ({@code application/x-ndjson}, Ollama's streams; see {@link StreamedBody}). */
final class JsonLines implements AutoCloseable {
    private static final byte[] NEWLINE = {'\n'};
    private final StreamedBody body;

    JsonLines(ServerResponse res, Map<String, String> headers) {
        this.body = new StreamedBody(res, "application/x-ndjson", headers);
    }

    boolean started() {
        return body.started();
    }

    /** Writes one line; a client that went away cancels the call ({@link StreamedBody}). */
    void send(JsonNode line) {
        body.write(Replies.bytes(line), NEWLINE);
    }

    @Override
    public void close() {
        body.close();
    }
}
