package dev.hearth.llama;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A request submitted to a {@link LlamaEngine}: wait for it, or cancel it from any thread. */
public final class Completion {
    private final EngineJob job;
    private final Runnable wake;

    Completion(EngineJob job, Runnable wake) {
        this.job = job;
        this.wake = wake;
    }

    /** Waits for the result; a request that failed rethrows its (typed) exception. */
    public EngineResult result() throws InterruptedException {
        try {
            return job.future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the request was abandoned", e);
        }
    }

    /** Stops the request at the next step; its slot and KV cells are freed then. The result says CANCELLED. */
    public void cancel() {
        job.cancelled = true;
        wake.run();
    }

    public boolean isDone() {
        return job.future.isDone();
    }

    /** The result as a future, for callers that compose. */
    public CompletableFuture<EngineResult> future() {
        return job.future;
    }
}
