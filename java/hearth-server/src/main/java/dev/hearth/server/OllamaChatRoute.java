package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.ollama.OllamaRequest;
import dev.hearth.server.ollama.OllamaWire;
import dev.hearth.server.openai.ApiError;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Ollama's {@code POST /api/chat} and {@code POST /api/generate}: read, resolved, routed and run through the front
 * door like a chat completion, answered as JSON lines (Ollama streams unless told {@code "stream": false}) or one
 * object; the last has {@code "done": true}, the counts and timings, and a {@code hearth} field naming who answered and
 * the ledger's call id. Headers: the {@code x-hearth-*} of the other routes, and {@code x-hearth-ignored-options}
 * naming the Ollama options Hearth does not apply. {@code keep_alive} sets how long the local model that answered stays
 * loaded ({@link Hearth#keepAlive}); with an empty prompt, {@code /api/generate} only applies it (Ollama's load and
 * unload).
 */
final class OllamaChatRoute implements Handler {
    private final Hearth hearth;
    private final ServedCalls calls;
    private final ModelNames models;
    private final long maxBodyBytes;
    private final OllamaWire.Kind kind;

    OllamaChatRoute(Hearth hearth, ServedCalls calls, long maxBodyBytes, OllamaWire.Kind kind) {
        this.hearth = hearth;
        this.calls = calls;
        this.models = new ModelNames(hearth);
        this.maxBodyBytes = maxBodyBytes;
        this.kind = kind;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        try {
            JsonNode body = JsonBodies.read(req, maxBodyBytes);
            OllamaRequest call = kind == OllamaWire.Kind.CHAT ? OllamaRequest.chat(body) : OllamaRequest.generate(body);
            String named = call.request().model();
            ChatRequest request = call.request().withModel(models.resolve(named));
            if (!call.ignored().isEmpty()) {
                res.header("x-hearth-ignored-options", String.join(",", call.ignored()));
            }
            if (call.load()) {
                keepAlive(call, request.model());
                Replies.json(res, 200, OllamaWire.loaded(kind, named, Instant.now(), call.keepAlive().unloads()));
                return;
            }
            RouteDecision decision = calls.decide(req, named, request);
            if (call.stream()) {
                stream(req, res, call, request, decision, named, started);
            } else {
                FallbackChain.Routed r = calls.run(req, res, request, decision, null);
                keepAlive(call, r.answeredBy().id());
                calls.headers(r).forEach(res::header);
                Replies.json(res, 200, OllamaWire.done(kind, named, Instant.now(), r.response(), true,
                        timings(started, r), answered(r)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e, Wire.OLLAMA);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e, Wire.OLLAMA);
        }
    }

    /** Lines as the model writes them; a failure after the first is sent as an {@code {"error"}} line. */
    private void stream(ServerRequest req, ServerResponse res, OllamaRequest call, ChatRequest request,
            RouteDecision decision, String named, long started) throws InterruptedException {
        ModelProfile chosen = decision.chosen();
        try (JsonLines lines = new JsonLines(res, AnswerHeaders.planned(decision))) {
            ChatSink sink = new LineSink(lines, kind, named);
            FallbackChain.Routed r;
            try {
                r = calls.run(req, res, request, decision, sink);
            } catch (dev.hearth.api.CallCancelledException clientGone) {
                return;
            } catch (Exception e) {
                if (!lines.started()) {
                    throw e;
                }
                lines.send(Wire.OLLAMA.body(Wire.OLLAMA.shape(ApiError.of(e))));
                return;
            }
            keepAlive(call, r.answeredBy().id());
            lines.send(OllamaWire.done(kind, named, Instant.now(), r.response(), false, timings(started, r),
                    answered(r)));
        }
    }

    /** The client's keep-alive for the model that answered, applied before the last line (a later ps sees it). */
    private void keepAlive(OllamaRequest call, String model) throws InterruptedException {
        if (call.keepAlive().duration() != null) {
            hearth.keepAlive(model, call.keepAlive().duration());
        }
    }

    private static OllamaWire.Timings timings(long started, FallbackChain.Routed r) {
        return new OllamaWire.Timings(Duration.ofNanos(System.nanoTime() - started), r.timeToFirstToken());
    }

    private static OllamaWire.Answered answered(FallbackChain.Routed r) {
        return new OllamaWire.Answered(r.answeredBy().id(), r.answeredBy().local(), r.callId());
    }

    /** Each delta as one line. */
    private record LineSink(JsonLines lines, OllamaWire.Kind kind, String model) implements ChatSink {
        @Override
        public void onContent(String delta) {
            if (!delta.isEmpty()) {
                lines.send(OllamaWire.delta(kind, model, Instant.now(), delta, "", List.of()));
            }
        }

        @Override
        public void onReasoning(String delta) {
            if (!delta.isEmpty()) {
                lines.send(OllamaWire.delta(kind, model, Instant.now(), "", delta, List.of()));
            }
        }

        @Override
        public void onToolCall(ToolCall call) {
            lines.send(OllamaWire.delta(kind, model, Instant.now(), "", "", List.of(call)));
        }
    }
}
