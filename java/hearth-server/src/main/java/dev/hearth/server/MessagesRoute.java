package dev.hearth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.anthropic.MessagesRequest;
import dev.hearth.server.anthropic.MessagesWire;
import dev.hearth.server.openai.ApiError;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code POST /v1/messages} (Anthropic's Messages API): read, resolved, routed and run through the front door like a
 * chat completion, answered as a whole {@code message} or as Anthropic's event stream ({@code message_start},
 * {@code content_block_start/delta/stop}, {@code message_delta}, {@code message_stop}; an {@code error} event after
 * the status has been sent). Same {@code x-hearth-*} headers.
 */
final class MessagesRoute implements Handler {
    private final ServedCalls calls;
    private final ModelNames models;
    private final long maxBodyBytes;
    private final Duration keepAlive;

    MessagesRoute(Hearth hearth, ServedCalls calls, ServerSettings settings) {
        this.calls = calls;
        this.models = new ModelNames(hearth);
        this.maxBodyBytes = settings.maxBodyBytes();
        this.keepAlive = settings.keepAlive();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            MessagesRequest call = MessagesRequest.read(JsonBodies.read(req, maxBodyBytes));
            ChatRequest request = call.request().withModel(models.resolve(call.request().model()));
            RouteDecision decision = calls.decide(req, call.request().model(), request);
            if (call.stream()) {
                stream(req, res, request, decision);
            } else {
                FallbackChain.Routed r = calls.run(req, res, request, decision, null);
                calls.headers(r).forEach(res::header);
                Replies.json(res, 200, MessagesWire.message(r.response(), "msg_" + r.callId(), r.answeredBy().id()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e, Wire.ANTHROPIC);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e, Wire.ANTHROPIC);
        }
    }

    private void stream(ServerRequest req, ServerResponse res, ChatRequest request, RouteDecision decision)
            throws InterruptedException {
        ModelProfile chosen = decision.chosen();
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        try (EventStream events = new EventStream(res, AnswerHeaders.planned(decision), keepAlive,
                EventStream.PING)) {
            BlockSink sink = new BlockSink(events, id, chosen == null ? request.model() : chosen.id());
            FallbackChain.Routed r;
            try {
                r = calls.run(req, res, request, decision, sink);
            } catch (CallCancelledException clientGone) {
                return;
            } catch (Exception e) {
                if (!events.started()) {
                    throw e;
                }
                events.send("error", Wire.ANTHROPIC.body(Wire.ANTHROPIC.shape(ApiError.of(e))));
                return;
            }
            sink.start();
            sink.closeBlock();
            ObjectNode delta = MessagesWire.messageDelta(r.response().stopReason(), r.response().usage());
            delta.putObject("hearth").put("call_id", r.callId()).put("model", r.answeredBy().id())
                    .put("route", r.answeredBy().local() ? "local" : "remote");
            events.send("message_delta", delta);
            events.send("message_stop", MessagesWire.messageStop());
        }
    }

    private static dev.hearth.server.openai.Completions.Answered answered(ModelProfile p, String callId) {
        return new dev.hearth.server.openai.Completions.Answered("msg_" + callId, p.id(), p.local(), callId, 0);
    }

    /** Opens a content block per kind of delta (thinking, text, each tool call) and closes it when the kind changes. */
    private static final class BlockSink implements ChatSink {
        private enum Open { NONE, THINKING, TEXT }

        private final EventStream events;
        private final String id;
        private final String model;
        private boolean started;
        private int index = -1;
        private Open open = Open.NONE;

        BlockSink(EventStream events, String id, String model) {
            this.events = events;
            this.id = id;
            this.model = model;
        }

        void start() {
            if (!started) {
                started = true;
                events.sendWithNext("message_start", MessagesWire.messageStart(id, model));
            }
        }

        void closeBlock() {
            if (open != Open.NONE) {
                events.send("content_block_stop", MessagesWire.blockStop(index));
                open = Open.NONE;
            }
        }

        private void ensure(Open kind) {
            start();
            if (open != kind) {
                closeBlock();
                index++;
                open = kind;
                events.sendWithNext("content_block_start", kind == Open.TEXT ? MessagesWire.textBlockStart(index)
                        : MessagesWire.thinkingBlockStart(index));
            }
        }

        @Override
        public void onContent(String delta) {
            if (!delta.isEmpty()) {
                ensure(Open.TEXT);
                events.send("content_block_delta", MessagesWire.textDelta(index, delta));
            }
        }

        @Override
        public void onReasoning(String delta) {
            if (!delta.isEmpty()) {
                ensure(Open.THINKING);
                events.send("content_block_delta", MessagesWire.thinkingDelta(index, delta));
            }
        }

        @Override
        public void onToolCall(ToolCall call) {
            start();
            closeBlock();
            index++;
            events.send("content_block_start", MessagesWire.toolUseBlockStart(index, call));
            events.send("content_block_delta", MessagesWire.inputDelta(index, call));
            events.send("content_block_stop", MessagesWire.blockStop(index));
        }
    }
}
