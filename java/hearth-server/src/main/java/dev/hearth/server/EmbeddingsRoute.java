package dev.hearth.server;

import dev.hearth.api.EmbeddingBackend;
import dev.hearth.server.openai.Embeddings;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: the body read and checked, the embedder the client named (the default one the backends
 * offer, listed in {@code /v1/models}), the texts embedded in order. Embeddings are local and cost nothing, so they
 * are not routed or recorded in the ledger.
 */
final class EmbeddingsRoute implements Handler {
    private final ModelNames models;
    private final long maxBodyBytes;

    EmbeddingsRoute(ModelNames models, long maxBodyBytes) {
        this.models = models;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            Embeddings.Request call = Embeddings.read(JsonBodies.read(req, maxBodyBytes));
            EmbeddingBackend embedder = models.embedder(call.model());
            Embeddings.checkDimensions(call, embedder.dimensions());
            List<EmbeddingBackend.Embedded> vectors = embedder.embedAll(call.input());
            res.header("x-hearth-model", models.embedderId().orElseThrow());
            res.header("x-hearth-route", "local");
            Replies.json(res, 200, Embeddings.list(models.embedderId().orElseThrow(), vectors, call.base64()));
        } catch (Exception | LinkageError e) {
            Replies.error(res, e);
        }
    }
}
