package dev.hearth.langchain4j;

import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import dev.hearth.runtime.Hearth;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * LangChain4j's {@link StreamingChatModel} answered by Hearth, as {@link HearthChatModel} is: the answer's text and
 * reasoning reach the handler as the model generates them; each tool call reaches it once the runtime has parsed it
 * whole (one {@link PartialToolCall} carrying all of its arguments, then its {@link CompleteToolCall}); the complete
 * response last, with Hearth's metadata. A handler that cancels through its {@link StreamingHandle} stops the
 * generation at the next piece, and hears nothing more. Each call runs on the executor (by default a virtual thread of
 * its own), so {@code chat} returns at once, as LangChain4j's other streaming models do. Thread-safe.
 */
public final class HearthStreamingChatModel implements StreamingChatModel {
    private final FrontDoor door;
    private final Executor executor;

    public HearthStreamingChatModel(Hearth hearth, HearthChatOptions options) {
        this(hearth, options, task -> Thread.ofVirtual().name("hearth-langchain4j-stream").start(task));
    }

    /** As {@link #HearthStreamingChatModel(Hearth, HearthChatOptions)}, each call run by {@code executor}. */
    public HearthStreamingChatModel(Hearth hearth, HearthChatOptions options, Executor executor) {
        this.door = new FrontDoor(hearth, options);
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Routed by Hearth ({@code auto}), with the defaults. */
    public static HearthStreamingChatModel of(Hearth hearth) {
        return new HearthStreamingChatModel(hearth, HearthChatOptions.defaults());
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Handle handle = new Handle();
        executor.execute(() -> {
            ChatResponse response;
            try {
                response = door.call(request, new HandlerSink(handler, handle));
            } catch (RuntimeException e) {
                if (!handle.isCancelled()) {
                    handler.onError(Failures.of(e));
                }
                return;
            }
            if (!handle.isCancelled()) {
                handler.onCompleteResponse(response);
            }
        });
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return door.options().requestDefaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return door.options().listeners();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /** A handler's way to stop the stream: the next piece cancels the generation instead of reaching it. */
    private static final class Handle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** The runtime's pieces as the handler's callbacks, on the thread that runs the call. */
    private static final class HandlerSink implements ChatSink {
        private final StreamingChatResponseHandler handler;
        private final Handle handle;
        private int toolCalls;

        HandlerSink(StreamingChatResponseHandler handler, Handle handle) {
            this.handler = handler;
            this.handle = handle;
        }

        @Override
        public void onContent(String delta) {
            live();
            handler.onPartialResponse(new PartialResponse(delta), new PartialResponseContext(handle));
        }

        @Override
        public void onReasoning(String delta) {
            live();
            handler.onPartialThinking(new PartialThinking(delta), new PartialThinkingContext(handle));
        }

        @Override
        public void onToolCall(ToolCall call) {
            live();
            int index = toolCalls++;
            handler.onPartialToolCall(PartialToolCall.builder().index(index).id(call.id()).name(call.name())
                    .partialArguments(call.arguments()).build(), new PartialToolCallContext(handle));
            live();
            handler.onCompleteToolCall(new CompleteToolCall(index, Responses.request(call)));
        }

        private void live() {
            if (handle.isCancelled()) {
                throw new CallCancelledException("the LangChain4j handler cancelled the stream", null);
            }
        }
    }
}
