package dev.hearth.server;

import dev.hearth.api.ChatRequest;
import dev.hearth.server.anthropic.MessagesRequest;
import dev.hearth.server.anthropic.MessagesWire;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/messages/count_tokens} (Anthropic's): a messages body, {@code max_tokens} optional, answered
 * {@code {"input_tokens": N}} for the model the router would choose. {@code x-hearth-token-count} says whether N is
 * {@code exact} (a local model's tokenizer and chat template) or an {@code estimate} (a remote model's, whose tokenizer
 * is not here); {@code x-hearth-model} and {@code x-hearth-route} name the model. Nothing is generated or recorded.
 */
final class CountTokensRoute implements Handler {
    private final ModelNames models;
    private final TokenCounts counts;
    private final long maxBodyBytes;

    CountTokensRoute(dev.hearth.runtime.Hearth hearth, long maxBodyBytes) {
        this.models = new ModelNames(hearth);
        this.counts = new TokenCounts(hearth);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            MessagesRequest call = MessagesRequest.forCounting(JsonBodies.read(req, maxBodyBytes));
            ChatRequest request = call.request().withModel(models.resolve(call.request().model()));
            TokenCounts.Count n = counts.count(request);
            res.header("x-hearth-model", n.model().id());
            res.header("x-hearth-route", n.model().local() ? "local" : "remote");
            res.header(TokenCounts.HEADER, n.kind());
            Replies.json(res, 200, MessagesWire.tokenCount(n.tokens()));
        } catch (Exception | LinkageError e) {
            Replies.error(res, e, Wire.ANTHROPIC);
        }
    }
}
