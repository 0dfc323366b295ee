package dev.hearth.server;

import dev.hearth.server.openai.ApiError;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Requests Helidon refuses before any route sees them (a malformed request line or header, headers past the size
 * limit, a body past the transport's backstop): answered with Helidon's status, in the JSON shape of the path's wire
 * format when the path could be read (OpenAI's otherwise), and never with a stack trace.
 */
final class TransportErrors implements DirectHandler {
    private TransportErrors() {
    }

    static DirectHandlers handlers() {
        DirectHandlers.Builder b = DirectHandlers.builder();
        TransportErrors handler = new TransportErrors();
        for (EventType t : EventType.values()) {
            b.addHandler(t, handler);
        }
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest req, EventType type, Status status,
            ServerResponseHeaders headers, String message) {
        String path = req.path() == null ? "" : req.path();
        int code = status.code();
        String why = switch (code) {
            case 413 -> "the request body is too large for this server; send a shorter one";
            case 431 -> "the request's headers are too large; send fewer or shorter headers";
            default -> code >= 500 ? "the server could not handle the request"
                    : "the request is not valid HTTP/1.1 (" + message + "); send a well-formed request";
        };
        ApiError e = new ApiError(code, code >= 500 ? "server_error" : "invalid_request_error",
                code >= 500 ? "internal_error" : "bad_http", why);
        Wire wire = Wire.of(path);
        return TransportResponse.builder().status(status).headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(Replies.bytes(wire.body(wire.shape(e))))
                .keepAlive(type.keepAlive())
                .build();
    }
}
