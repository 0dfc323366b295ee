package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.ChatCompletionRequest;
import dev.hearth.server.openai.Completions;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}: the body read and checked, the model resolved, the request routed and run
 * through the front door (recorded in the ledger as an HTTP call), answered whole or as a stream of chunks. The
 * headers say who answered: {@code x-hearth-model}, {@code x-hearth-route} and {@code x-hearth-call-id}. A request for
 * a tournament ({@link TournamentReplies}) is answered by several models.
 */
final class ChatCompletionsRoute implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsRoute.class);
    private final ServedCalls calls;
    private final ModelNames models;
    private final long maxBodyBytes;
    private final Duration keepAlive;
    private final TournamentReplies tournaments;

    ChatCompletionsRoute(Hearth hearth, ServedCalls calls, ServerSettings settings) {
        this.calls = calls;
        this.models = new ModelNames(hearth);
        this.maxBodyBytes = settings.maxBodyBytes();
        this.keepAlive = settings.keepAlive();
        this.tournaments = new TournamentReplies(hearth, calls);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            JsonNode body = JsonBodies.read(req, maxBodyBytes);
            ChatCompletionRequest call = ChatCompletionRequest.read(body);
            var tournament = tournaments.asked(body, call.request());
            if (tournament.isPresent()) {
                tournaments.answer(req, res, call.request(), tournament.get(), call.stream());
                return;
            }
            ChatRequest request = call.request().withModel(models.resolve(call.request().model()));
            RouteDecision decision = calls.decide(req, call.request().model(), request);
            if (call.stream()) {
                stream(req, res, request, decision, call.includeUsage());
            } else {
                FallbackChain.Routed r = calls.run(req, res, request, decision, null);
                Completions.Answered who = answered(r.answeredBy(), r.callId());
                calls.headers(r).forEach(res::header);
                Replies.json(res, 200, Completions.completion(r.response(), who));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e);
        }
    }

    /**
     * Chunks as the model writes them. The headers name the model the router chose (a fallback may answer instead:
     * the last chunk's {@code hearth} field names who did, and the ledger's call id). A failure before the first
     * chunk is answered with its own status; after it, as an error event, since the status has been sent.
     */
    private void stream(ServerRequest req, ServerResponse res, ChatRequest request, RouteDecision decision,
            boolean includeUsage) throws InterruptedException {
        ModelProfile chosen = decision.chosen();
        Completions.Answered planned = chosen == null ? null : answered(chosen, "");
        try (EventStream events = new EventStream(res, AnswerHeaders.planned(decision), keepAlive,
                EventStream.COMMENT)) {
            ChunkSink sink = new ChunkSink(events, planned);
            FallbackChain.Routed r;
            try {
                r = calls.run(req, res, request, decision, sink);
            } catch (CallCancelledException clientGone) {
                LOG.debug("a client left mid-stream: {}", clientGone.getMessage());
                return;
            } catch (Exception e) {
                if (!events.started()) {
                    throw e;
                }
                events.send(Wire.OPENAI.body(ApiError.of(e)));
                return;
            }
            Completions.Answered who = answered(r.answeredBy(), r.callId());
            Completions.Answered ids = new Completions.Answered(planned == null ? who.id() : planned.id(), who.model(),
                    who.local(), who.callId(), planned == null ? who.created() : planned.created());
            sink.begin();
            var finish = Completions.finishChunk(ids, r.response().stopReason());
            var usage = Completions.usageChunk(ids, r.response().usage());
            var last = includeUsage ? usage : finish;
            last.putObject("hearth").put("call_id", who.callId()).put("model", who.model()).put("route", who.route());
            events.send(finish);
            if (includeUsage) {
                events.send(usage);
            }
            events.done();
        }
    }

    private static Completions.Answered answered(ModelProfile p, String callId) {
        String id = "chatcmpl-" + (callId.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : callId);
        return new Completions.Answered(id, p.id(), p.local(), callId, Instant.now().getEpochSecond());
    }

    /** Turns the engine's deltas into chunks, the role chunk first. */
    private static final class ChunkSink implements ChatSink {
        private final EventStream events;
        private final Completions.Answered who;
        private int toolCalls;
        private boolean begun;

        ChunkSink(EventStream events, Completions.Answered who) {
            this.events = events;
            this.who = who;
        }

        void begin() {
            if (!begun) {
                begun = true;
                events.sendWithNext(Completions.roleChunk(who));
            }
        }

        @Override
        public void onContent(String delta) {
            if (!delta.isEmpty()) {
                begin();
                events.send(Completions.contentChunk(who, delta));
            }
        }

        @Override
        public void onReasoning(String delta) {
            if (!delta.isEmpty()) {
                begin();
                events.send(Completions.reasoningChunk(who, delta));
            }
        }

        @Override
        public void onToolCall(ToolCall call) {
            begin();
            events.send(Completions.toolCallChunk(who, toolCalls++, call));
        }
    }
}
