package dev.hearth.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A streaming handler that keeps everything it is told, for a test to wait on and read. Thread-safe. */
final class Collected implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> fragments = new CopyOnWriteArrayList<>();
    final List<CompleteToolCall> calls = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partial) {
        partials.add(partial);
    }

    @Override
    public void onPartialToolCall(PartialToolCall fragment) {
        fragments.add(fragment);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
        calls.add(call);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    /** The complete response, once it arrives; its error, thrown, when the stream failed. */
    ChatResponse response() throws Exception {
        try {
            return done.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The text of the partial responses, in order. */
    String text() {
        return String.join("", partials);
    }
}
