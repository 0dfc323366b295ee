package dev.hearth.llama.engine;

import dev.hearth.api.TokenSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands one request's text to its caller's sink on a virtual thread of its own, in order, so that a slow sink (a
 * client on a slow network) holds up only its own request and never the engine's scheduler loop. A sink that throws
 * cancels its request; what the sink would have got after that is dropped.
 */
final class SinkRelay implements TokenSink {
    private static final String END = new String("end"); // compared by identity

    private final TokenSink target;
    private final Runnable cancel;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile Throwable failure;

    SinkRelay(TokenSink target, Runnable cancel) {
        this.target = target;
        this.cancel = cancel;
    }

    /** Starts delivering; called once the request is admitted. */
    void start() {
        Thread.ofVirtual().name("hearth-engine-sink").start(this::deliver);
    }

    @Override
    public void onText(String text) {
        if (failure == null) {
            queue.add(text);
        }
    }

    /** No more text will come: the returned future completes once everything before has reached the sink. */
    CompletableFuture<Void> end() {
        queue.add(END);
        return drained;
    }

    /** What the sink threw (an exception or an error), or null. */
    Throwable failure() {
        return failure;
    }

    private void deliver() {
        try {
            for (String text = queue.take(); text != END; text = queue.take()) {
                if (failure != null) {
                    continue;
                }
                try {
                    target.onText(text);
                } catch (Throwable e) { // an Error from a sink is a failure too, never a success
                    failure = e;
                    cancel.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drained.complete(null);
        }
    }
}
