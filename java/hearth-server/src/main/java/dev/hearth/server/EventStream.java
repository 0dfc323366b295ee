package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** One response as server-sent events ({@code data: JSON}, each flushed; see {@link StreamedBody}). */
final class EventStream implements AutoCloseable {
    private final StreamedBody body;

    EventStream(ServerResponse res, Map<String, String> headers) {
        this.body = new StreamedBody(res, "text/event-stream; charset=utf-8", headers);
    }

    boolean started() {
        return body.started();
    }

    /** Writes one event; a client that went away cancels the call ({@link StreamedBody}). */
    void send(JsonNode event) {
        body.write("data: " + Replies.text(event) + "\n\n");
    }

    /** One event with its name ({@code event: NAME}), as Anthropic's stream has them. */
    void send(String name, JsonNode event) {
        body.write("event: " + name + "\ndata: " + Replies.text(event) + "\n\n");
    }

    void done() {
        body.write("data: [DONE]\n\n");
    }

    @Override
    public void close() {
        body.close();
    }
}
