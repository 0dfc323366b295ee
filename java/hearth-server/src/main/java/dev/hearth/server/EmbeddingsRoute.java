package dev.hearth.server;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.runtime.Vectors;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Embeddings;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/embeddings}: the body read and checked, the model the client named (the default embedder, or a
 * GGUF embedding model, each listed in {@code /v1/models}), the texts embedded in order through the front door and
 * recorded in the ledger as an HTTP call with its input tokens ({@link ServedCalls#embed}). A text longer than the
 * model reads is a 400 with the numbers.
 */
final class EmbeddingsRoute implements Handler {
    private final ModelNames models;
    private final ServedCalls calls;
    private final long maxBodyBytes;

    EmbeddingsRoute(ModelNames models, ServedCalls calls, long maxBodyBytes) {
        this.models = models;
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            Embeddings.Request call = Embeddings.read(JsonBodies.read(req, maxBodyBytes));
            String model = models.embedding(call.model());
            Vectors v;
            try {
                v = calls.embed(req, model, call.input());
            } catch (ContextOverflowException tooLong) {
                throw new BadRequest(400, "input", "context_length_exceeded", tooLong.getMessage());
            }
            Embeddings.checkDimensions(call, v.embedded().getFirst().vector().length);
            res.header("x-hearth-model", v.model());
            res.header("x-hearth-route", "local");
            AnswerHeaders.callId(v.callId()).forEach(res::header);
            Replies.json(res, 200, Embeddings.list(v.model(), v.embedded(), call.base64()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e);
        }
    }
}
