package dev.hearth.api;

/**
 * Something that answers chat requests: a local model or a remote vendor. The router sees nothing else.
 * Implementations are safe to call from many threads at once. Interrupting the calling thread cancels the call
 * (a remote backend aborts its HTTP exchange) and makes it throw {@link InterruptedException}.
 */
public interface ChatBackend {
    /** A short name for logs, metrics and the ledger ("anthropic", "deepseek", "local:qwen3-0.6b"). */
    String name();

    Capabilities capabilities();

    /** Answers in one piece: by default the streamed answer, its deltas dropped. */
    default ChatResponse chat(ChatRequest request) throws InterruptedException {
        return stream(request, ChatSink.discard());
    }

    /** Answers while streaming content and reasoning deltas to {@code sink}; returns the whole answer at the end. */
    ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException;
}
