package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One response as server-sent events ({@code data: JSON}, each flushed; see {@link StreamedBody}). Once it has
 * started, a stream that stays silent for its keep-alive (a model thinking, a slot awaited) gets a filler event
 * that clients ignore, so that proxies and clients that drop quiet connections keep it.
 */
final class EventStream implements AutoCloseable {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** What OpenAI-format streams send when silent: an SSE comment, which every SSE reader skips. */
    static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    /** What Anthropic's streams send when silent: its {@code ping} event. */
    static final byte[] PING = "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);
    private final StreamedBody body;
    private final Thread keeper;

    EventStream(ServerResponse res, Map<String, String> headers, Duration keepAlive, byte[] filler) {
        this.body = new StreamedBody(res, "text/event-stream; charset=utf-8", headers);
        long idle = keepAlive.toNanos();
        this.keeper = Thread.ofVirtual().name("hearth-sse-keep-alive").start(() -> {
            for (long wait = idle; wait >= 0; wait = body.keepAlive(idle, filler)) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException closed) {
                    return;
                }
            }
        });
    }

    boolean started() {
        return body.started();
    }

    /** Writes one event; a client that went away cancels the call ({@link StreamedBody}). */
    void send(JsonNode event) {
        body.write(DATA, Replies.bytes(event), END);
    }

    /** Writes one event without flushing it: it leaves with the next event sent. */
    void sendWithNext(JsonNode event) {
        body.write(false, DATA, Replies.bytes(event), END);
    }

    /** One event with its name ({@code event: NAME}), as Anthropic's stream has them. */
    void send(String name, JsonNode event) {
        body.write(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII), DATA, Replies.bytes(event), END);
    }

    /** A named event that leaves with the next event sent. */
    void sendWithNext(String name, JsonNode event) {
        body.write(false, ("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII), DATA, Replies.bytes(event),
                END);
    }

    void done() {
        body.write(DONE);
    }

    @Override
    public void close() {
        keeper.interrupt();
        body.close();
    }
}
