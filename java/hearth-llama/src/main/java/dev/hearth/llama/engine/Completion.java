package dev.hearth.llama.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A request submitted to a {@link LlamaEngine}: wait for it, or cancel it from any thread. */
public final class Completion {
    private final EngineJob job;
    private final Runnable wake;
    private final CompletableFuture<EngineResult> future;

    Completion(EngineJob job, Runnable wake) {
        this(job, wake, job.future);
    }

    private Completion(EngineJob job, Runnable wake, CompletableFuture<EngineResult> future) {
        this.job = job;
        this.wake = wake;
        this.future = future;
    }

    /** The same request, whose result waits until {@code delivered} (its sink has had all of its text). */
    Completion deliveredBy(CompletableFuture<EngineResult> delivered) {
        return new Completion(job, wake, delivered);
    }

    /** Waits for the result; a request that failed rethrows its (typed) exception. */
    public EngineResult result() throws InterruptedException {
        try {
            return future.get();
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
        return future.isDone();
    }

    /** The result as a future, for callers that compose. */
    public CompletableFuture<EngineResult> future() {
        return future;
    }
}
