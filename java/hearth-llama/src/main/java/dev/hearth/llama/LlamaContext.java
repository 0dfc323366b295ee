package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.LogBridge;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.internal.NativeBatch;
import dev.hearth.llama.internal.NativeContext;
import dev.hearth.llama.internal.Status;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A llama.cpp context: a KV cache and the buffers to decode into it. One thread at a time: a call while another
 * thread is inside the context throws IllegalStateException before any native code runs. {@link #cancel()} is
 * the exception; it may be called from any thread and stops the running generation (during prompt processing
 * too, through llama.cpp's abort callback) within a token.
 */
public final class LlamaContext implements AutoCloseable {
    private final LlamaModel model;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx;
    private final MemorySegment memory;
    private final NativeBatch batch;
    private final MemorySegment abortStub;
    private final int nCtx;
    private final int nBatch;
    /**
     * The thread generating in this context and that generation's stop flag: a fresh one per use, so a cancel that
     * lands while a use begins is kept by that use instead of being reset by it.
     */
    private record Use(Thread thread, java.util.concurrent.atomic.AtomicBoolean cancel) {
        static Use by(Thread thread) {
            return new Use(thread, new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    private final AtomicReference<Use> owner = new AtomicReference<>();
    private volatile boolean closed;

    LlamaContext(LlamaModel model, ContextParams params) {
        this.model = model;
        NativeContext.Created created = null; // freed if anything after its creation fails
        try {
            int size = params.contextSize() > 0 ? params.contextSize()
                    : Math.min(model.nCtxTrain(), ContextParams.DEFAULT_CONTEXT_CAP);
            created = NativeContext.create(model, new NativeContext.Settings(size, Math.min(params.batchSize(), size),
                    Math.min(params.microBatch(), size), 1, params.threads(), params.batchThreads(),
                    params.kvCacheType(), NativeContext.MODEL_POOLING, false, false), arena,
                    "Try a smaller context size.");
            ctx = created.ctx();
            nCtx = created.contextSize();
            nBatch = created.batchSize();
            memory = created.memory();
            batch = new NativeBatch(arena, nBatch);
            var target = MethodHandles.lookup().findVirtual(LlamaContext.class, "abortRequested",
                    MethodType.methodType(boolean.class, MemorySegment.class)).bindTo(this);
            abortStub = LlamaC.upcall(target, LlamaC.ABORT_CALLBACK, arena);
        } catch (Throwable t) {
            throw NativeContext.freeAndRethrow(created, arena, t);
        }
    }

    public LlamaModel model() {
        return model;
    }

    /** Tokens this context holds. */
    public int contextSize() {
        return nCtx;
    }

    /** Most tokens one decode call takes. */
    public int batchSize() {
        return nBatch;
    }

    /**
     * Generates from a text prompt, streaming text to {@code sink} as it is produced. The prompt is tokenized
     * with the model's tokenizer ({@link GenerationParams#addSpecial()}, {@link GenerationParams#parseSpecial()}).
     */
    public GenerationResult generate(String prompt, GenerationParams params, TokenSink sink) {
        Objects.requireNonNull(prompt, "prompt");
        enter();
        try {
            int[] tokens = model.tokenize(prompt, params.addSpecial(), params.parseSpecial());
            return drain(new Generation(this, tokens, params), sink);
        } finally {
            exit();
        }
    }

    /** Generates from prompt tokens (checked against the vocabulary first). */
    public GenerationResult generate(int[] promptTokens, GenerationParams params, TokenSink sink) {
        enter();
        try {
            return drain(new Generation(this, promptTokens.clone(), params), sink);
        } finally {
            exit();
        }
    }

    /**
     * Answers a conversation with the model's chat template (tools, reasoning, JSON schema per {@code options}),
     * streaming content and reasoning deltas to {@code sink}, and returns the parsed answer.
     */
    public ChatResult chat(List<ChatMessage> messages, ChatOptions options, ChatSink sink) {
        Objects.requireNonNull(sink, "sink");
        ChatTemplate template = model.chatTemplate(options.templateOverride());
        ChatTemplate.Rendered rendered = template.render(messages, options);
        enter();
        try (ChatRun run = new ChatRun(this, template, rendered, options)) {
            return run.run(sink);
        } finally {
            exit();
        }
    }

    private static GenerationResult drain(Generation generation, TokenSink sink) {
        Objects.requireNonNull(sink, "sink");
        try (generation) {
            String text;
            while ((text = generation.next()) != null) {
                if (!text.isEmpty()) {
                    sink.onText(text);
                }
            }
            return generation.result();
        }
    }

    /**
     * Generates lazily: each {@code next()} of the stream's iterator decodes until it has text to return. The
     * context stays busy (other threads are refused) until the stream ends or is closed.
     */
    public TokenStream stream(String prompt, GenerationParams params) {
        Objects.requireNonNull(prompt, "prompt");
        enter();
        try {
            int[] tokens = model.tokenize(prompt, params.addSpecial(), params.parseSpecial());
            return new TokenStream(new Generation(this, tokens, params), this);
        } catch (RuntimeException | Error e) {
            exit();
            throw e;
        }
    }

    /** Asks the generation running in this context to stop; safe from any thread; no effect when idle. */
    public void cancel() {
        Use use = owner.get();
        if (use != null) {
            use.cancel().set(true);
        }
    }

    /** Whether a thread is inside this context now (for tests that race a cancel against the start of a use). */
    boolean inUse() {
        return owner.get() != null;
    }

    private boolean abortRequested(MemorySegment data) {
        return cancelRequested();
    }

    private void enter() {
        Thread me = Thread.currentThread();
        if (!owner.compareAndSet(null, Use.by(me))) {
            Use other = owner.get();
            throw new IllegalStateException(other != null && other.thread() == me
                    ? "this context is already generating on this thread (finish or close the current stream first)"
                    : "this context is in use by thread " + (other == null ? "?" : other.thread().getName())
                            + "; a context serves one thread at a time: create one context per thread");
        }
        if (closed) {
            owner.set(null);
            throw new IllegalStateException("the context is closed");
        }
    }

    /** Throws unless the calling thread is the one generating in this context. */
    void requireOwner() {
        Use use = owner.get();
        if (use == null || use.thread() != Thread.currentThread()) {
            throw new IllegalStateException("this generation belongs to thread "
                    + (use == null ? "none" : use.thread().getName()) + "; iterate a stream on the thread that created it");
        }
    }

    private void exit() {
        Use use = owner.get();
        if (use != null && use.thread() == Thread.currentThread()) {
            owner.compareAndSet(use, null);
        }
    }

    /**
     * Whether the calling thread may free what a stream of this context holds: it is the generating thread, or that
     * thread has ended without closing its stream (so nothing can be sampling any more).
     */
    boolean mayRelease() {
        Use use = owner.get();
        return use == null || use.thread() == Thread.currentThread() || !use.thread().isAlive();
    }

    /** Ends a use on behalf of its thread, once {@link #mayRelease()} said so. */
    void release() {
        Use use = owner.get();
        if (use != null && (use.thread() == Thread.currentThread() || !use.thread().isAlive())) {
            owner.compareAndSet(use, null);
        }
    }

    // --- used by Generation, on the owning thread ---

    boolean cancelRequested() {
        Use use = owner.get();
        return use != null && use.cancel().get();
    }

    MemorySegment handle() {
        return ctx;
    }

    /** Waits for the backends to finish the last decode (a no-op on CPU, where decoding is synchronous). */
    void synchronize() {
        try {
            LlamaC.llama_synchronize.invokeExact(ctx);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    void clearMemory() {
        try {
            LlamaC.llama_memory_clear.invokeExact(memory, false);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /**
     * Decodes {@code count} tokens starting at {@code from} of {@code tokens}, at positions {@code pos...},
     * asking for logits of the last one only when {@code wantLast}. Returns the llama_decode status (OK or
     * ABORTED; others throw).
     */
    int decode(int[] tokens, int from, int count, int pos, boolean wantLast, boolean abortable) {
        if (count < 1 || count > nBatch || pos < 0 || pos + count > nCtx) {
            throw new IllegalStateException("batch of " + count + " at " + pos + " does not fit (batch " + nBatch
                    + ", context " + nCtx + ")");
        }
        for (int i = 0; i < count; i++) { // every token of a context belongs to sequence 0
            batch.set(i, tokens[from + i], pos + i, 0, wantLast && i == count - 1);
        }
        try {
            if (abortable) {
                LlamaC.llama_set_abort_callback.invokeExact(ctx, abortStub, MemorySegment.NULL);
            }
            int status;
            try {
                status = (int) LlamaC.llama_decode.invokeExact(ctx, batch.of(count));
            } finally {
                if (abortable) {
                    LlamaC.llama_set_abort_callback.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL);
                }
            }
            Status.checkDecode(status, count);
            return status;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Decodes one token at {@code pos} with logits; the per-token fast path. */
    int decodeOne(int token, int pos) {
        if (pos < 0 || pos >= nCtx) {
            throw new IllegalStateException("position " + pos + " is outside the context of " + nCtx);
        }
        batch.set(0, token, pos, 0, true);
        try {
            int status = (int) LlamaC.llama_decode.invokeExact(ctx, batch.of(1));
            Status.checkDecode(status, 1);
            return status;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /**
     * Frees the KV cache and buffers. Throws IllegalStateException if another thread is generating in this
     * context right now (cancel it first); a second close does nothing.
     */
    @Override
    public void close() {
        Thread me = Thread.currentThread();
        if (!owner.compareAndSet(null, Use.by(me))) {
            Use other = owner.get();
            if (other != null && other.thread() != me && !other.thread().isAlive()) {
                owner.compareAndSet(other, Use.by(me)); // a thread that ended mid-stream: nothing is sampling any more
            } else if (other == null || other.thread() != me) {
                throw new IllegalStateException("cannot close a context while thread "
                        + (other == null ? "?" : other.thread().getName()) + " is using it; cancel() and wait for it"
                        + " first");
            }
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            NativeBatch.freeWithContext(batch, ctx, arena);
            model.forget(this);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        } finally {
            owner.set(null);
        }
    }
}
