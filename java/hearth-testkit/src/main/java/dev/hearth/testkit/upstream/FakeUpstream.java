package dev.hearth.testkit.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hearth.testkit.http.LoopbackHttpServer;
import dev.hearth.testkit.http.LoopbackHttpServer.Exchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The common part of the fake vendors: a loopback server, a script of replies (one per request, in order; the
 * default reply once the script runs out), the key it accepts, and a record of every request received.
 */
public abstract class FakeUpstream implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackHttpServer server;
    private final String apiKey;
    private final ConcurrentLinkedQueue<FakeReply> script = new ConcurrentLinkedQueue<>();
    // appended per request: a copy-on-write list would copy the whole record on every request of a long run
    private final List<RecordedRequest> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private volatile FakeReply defaultReply = FakeReply.text("Hello from the fake upstream.");
    private volatile java.util.function.Function<RecordedRequest, FakeReply> chooser = r -> null;

    protected FakeUpstream(String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.server = new LoopbackHttpServer(this::handle);
    }

    /** The base URL to configure a client with. */
    public URI baseUri() {
        return server.uri();
    }

    /** Replies for the next requests, in order. */
    public FakeUpstream enqueue(FakeReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** The reply once the script is used up. */
    public FakeUpstream defaultReply(FakeReply reply) {
        this.defaultReply = reply;
        return this;
    }

    /**
     * Picks the reply for each request by what it asks, once the script is used up (null from it: the default reply),
     * e.g. to hold the requests of one client at the vendor.
     */
    public FakeUpstream replyBy(java.util.function.Function<RecordedRequest, FakeReply> chooser) {
        this.chooser = java.util.Objects.requireNonNull(chooser, "chooser");
        return this;
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public RecordedRequest lastRequest() {
        synchronized (received) {
            return received.getLast();
        }
    }

    /**
     * Forgets the requests received so far: for a long run (a benchmark) whose memory should be the code under test's,
     * not this record's.
     */
    public void forgetReceived() {
        received.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    protected String apiKey() {
        return apiKey;
    }

    private void handle(Exchange ex) throws IOException, InterruptedException {
        JsonNode json;
        try {
            json = JSON.readTree(ex.body());
        } catch (IOException e) {
            json = MissingNode.getInstance();
        }
        RecordedRequest request = new RecordedRequest(ex.method(), ex.path(), Map.copyOf(ex.headers()), ex.body(),
                json == null ? MissingNode.getInstance() : json);
        received.add(request);
        FakeReply reply = script.poll();
        if (reply == null) {
            reply = chooser.apply(request);
        }
        answer(ex, json == null ? MissingNode.getInstance() : json, reply == null ? defaultReply : reply);
    }

    /** Answers one request in the vendor's wire format. */
    protected abstract void answer(Exchange ex, JsonNode request, FakeReply reply) throws IOException, InterruptedException;

    /** Sends a status fault, or resets; true if the reply was a fault that ends the exchange before a 200. */
    protected boolean beforeResponse(Exchange ex, FakeReply reply) throws IOException {
        if (reply.fault() instanceof Fault.ResetBeforeResponse) {
            ex.reset();
            return true;
        }
        if (reply.fault() instanceof Fault.Status s) {
            ex.respond(s.status(), withJsonType(s.headers()), errorBody(s.type(), s.message()));
            return true;
        }
        return false;
    }

    protected abstract String errorBody(String type, String message);

    protected static Map<String, String> withJsonType(Map<String, String> headers) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put("Content-Type", "application/json");
        return h;
    }

    /**
     * Sends the streamed events one delta at a time, applying the reply's stream fault at its place. Returns false
     * when a fault ended the stream.
     */
    protected boolean stream(Exchange ex, FakeReply reply, List<String> events, String errorEvent)
            throws IOException, InterruptedException {
        ex.startStream(200, Map.of("Content-Type", "text/event-stream", "Cache-Control", "no-cache"));
        if (reply.fault() instanceof Fault.SlowFirstToken slow) {
            Thread.sleep(slow.delay());
        }
        for (int n = 0; n < events.size(); n++) {
            final int i = n;
            switch (reply.fault()) {
                case Fault.StallAfter f when f.deltas() == i -> {
                    ex.stall();
                    return false;
                }
                case Fault.ResetAfter f when f.deltas() == i -> {
                    ex.reset();
                    return false;
                }
                case Fault.MalformedAfter f when f.deltas() == i -> {
                    ex.send(malformed());
                    ex.endStream();
                    return false;
                }
                case Fault.ErrorEventAfter f when f.deltas() == i -> {
                    ex.send(errorEvent.formatted(JSON.writeValueAsString(f.type()).replace("\"", ""),
                            JSON.writeValueAsString(f.message())));
                    ex.endStream();
                    return false;
                }
                case null, default -> { }
            }
            ex.send(events.get(i));
            if (!reply.tokenDelay().isZero()) {
                Thread.sleep(reply.tokenDelay());
            }
        }
        ex.endStream();
        return true;
    }

    protected abstract String malformed();

    protected static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Duration zero() {
        return Duration.ZERO;
    }
}
