package dev.hearth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.server.openai.ApiError;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whole JSON answers and errors, the same way on every route. */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    static void json(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header("content-type", "application/json");
        res.send(bytes(body));
    }

    /** The body {@code answer} gives, with 200, or the error it throws. */
    static void json(ServerResponse res, java.util.function.Supplier<JsonNode> answer) {
        JsonNode body;
        try {
            body = answer.get();
        } catch (RuntimeException e) {
            error(res, e);
            return;
        }
        json(res, 200, body);
    }

    /** An error in OpenAI's shape; an unexpected one is logged with its stack trace, which the client never sees. */
    static void error(ServerResponse res, Throwable failure) {
        error(res, failure, Wire.OPENAI);
    }

    /** An error in a wire format's own shape and status ({@link Wire}). */
    static void error(ServerResponse res, Throwable failure, Wire wire) {
        ApiError e = wire.shape(ApiError.of(failure));
        if (e.status() >= 500 && e.code().equals("internal_error")) {
            LOG.error("unexpected failure answering a request", failure);
        }
        if (res.isSent()) {
            return;
        }
        if (e.retryAfter() != null) {
            res.header("retry-after", Long.toString(Gate.seconds(e.retryAfter())));
        }
        json(res, e.status(), wire.body(e));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JsonBodies.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
