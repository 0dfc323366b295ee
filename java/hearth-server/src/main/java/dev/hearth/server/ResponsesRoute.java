package dev.hearth.server;

import dev.hearth.api.ChatRequest;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.Completions;
import dev.hearth.server.responses.ResponseEvents;
import dev.hearth.server.responses.ResponseObjects;
import dev.hearth.server.responses.ResponsesRequest;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API, stateless. The body read and checked, the model resolved, the
 * request routed and run through the front door (recorded in the ledger as an HTTP call), answered as a whole
 * {@code response} object or as typed events. The headers say who answered, as on chat completions.
 */
final class ResponsesRoute implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ResponsesRoute.class);
    private final ServedCalls calls;
    private final ModelNames models;
    private final long maxBodyBytes;
    private final Duration keepAlive;

    ResponsesRoute(ServedCalls calls, ModelNames models, ServerSettings settings) {
        this.calls = calls;
        this.models = models;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.keepAlive = settings.keepAlive();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            ResponsesRequest call = ResponsesRequest.read(JsonBodies.read(req, maxBodyBytes));
            ChatRequest request = call.request().withModel(models.resolve(call.request().model()));
            RouteDecision decision = calls.decide(req, call.request().model(), request);
            if (call.stream()) {
                stream(req, res, request, decision, call);
            } else {
                FallbackChain.Routed r = calls.run(req, res, request, decision, null);
                Completions.Answered who = answered(r.answeredBy(), r.callId(), null);
                calls.headers(r).forEach(res::header);
                Replies.json(res, 200, ResponseObjects.whole(r.response(), who, call.echo()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e);
        }
    }

    /**
     * Events as the model writes them, under the id and model planned before the first (a fallback may answer
     * instead: the last event's {@code hearth} says who did). A failure before the first event is answered with its
     * own status; after it, as an {@code error} event.
     */
    private void stream(ServerRequest req, ServerResponse res, ChatRequest request, RouteDecision decision,
            ResponsesRequest call) throws InterruptedException {
        ModelProfile chosen = decision.chosen();
        Completions.Answered planned = answered(chosen, "", null);
        try (EventStream stream = new EventStream(res, AnswerHeaders.planned(decision), keepAlive,
                EventStream.COMMENT)) {
            ResponseEvents events = new ResponseEvents(stream::send, planned, call.echo());
            FallbackChain.Routed r;
            try {
                r = calls.run(req, res, request, decision, events);
            } catch (dev.hearth.api.CallCancelledException clientGone) {
                LOG.debug("a client left mid-stream: {}", clientGone.getMessage());
                return;
            } catch (Exception e) {
                if (!events.begun()) {
                    throw e;
                }
                events.fail(ApiError.of(e));
                return;
            }
            events.finish(answered(r.answeredBy(), r.callId(), planned), r.response().stopReason(),
                    r.response().usage());
        }
    }

    /** Who answered; {@code planned}'s id and time are kept, so a stream's events all name one response. */
    private static Completions.Answered answered(ModelProfile p, String callId, Completions.Answered planned) {
        String id = planned != null ? planned.id()
                : "resp_" + (callId.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : callId);
        long created = planned != null ? planned.created() : Instant.now().getEpochSecond();
        return new Completions.Answered(id, p == null ? "" : p.id(), p == null || p.local(), callId, created);
    }
}
