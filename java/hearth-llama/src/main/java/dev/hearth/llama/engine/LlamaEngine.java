package dev.hearth.llama.engine;


import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatResult;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaException;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.internal.ModelAccess;
import dev.hearth.llama.internal.NativeBatch;
import dev.hearth.llama.internal.NativeContext;
import dev.hearth.llama.internal.Pieces;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.llama.internal.Status;
import dev.hearth.llama.internal.TokenOutput;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves many requests on one model the way llama.cpp's server does: one context with a KV-cache slot per
 * sequence, and one scheduler thread that owns it. Each step decodes one batch holding the next token of the
 * generating requests {@link Composition} picks (all of them when batching pays on this machine, a fair turn of them
 * when it does not) and a bounded chunk of every starting prompt; each request samples with its own chain.
 * A new request reuses the longest prefix already cached in a free slot. Other threads only send events: submit
 * and cancel are safe from any thread. Each request's sink is called on a virtual thread of its own, in order, so a
 * slow sink delays only its own request.
 */
public final class LlamaEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaEngine.class);

    private sealed interface Event permits Submit, Wake, Shutdown, Inspect {
    }

    private record Inspect(java.util.concurrent.CompletableFuture<long[]> answer) implements Event {
    }

    private record Submit(EngineJob job) implements Event {
    }

    private record Wake() implements Event {
    }

    private record Shutdown() implements Event {
    }

    private final LlamaModel model;
    private final EngineParams params;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx, memory;
    private final NativeBatch batch;
    private final int perSlot, batchCapacity;
    private final Slots slots;
    private final Composition composition; // which generating slots each step decodes: batching or time-slicing
    private final Speculative speculative;
    // unbounded: what bounds the work is admission (inFlight, in enqueue); wakes and inspections always get in
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<EngineJob> waiting = new ArrayDeque<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger(); // admitted and not ended: decides admission
    private final EngineGauges gauges = new EngineGauges();
    private final Thread loop;
    private final Pieces pieces;
    private final Decoder decoder;
    private volatile boolean closed; // no new work: close() was called or the loop ended
    private final java.util.concurrent.atomic.AtomicBoolean freed = new java.util.concurrent.atomic.AtomicBoolean();

    /** llama_decode, as the loop calls it; a seam so tests can make a batch fail. */
    @FunctionalInterface
    interface Decoder {
        int decode(MemorySegment ctx, MemorySegment batch) throws Throwable;
    }

    private static final Decoder LLAMA_DECODE = (ctx, batch) -> (int) LlamaC.llama_decode.invokeExact(ctx, batch);

    private final LlamaModel draft; // null: no draft model
    private final DraftModel draftModel;

    private LlamaEngine(LlamaModel model, EngineParams params, Decoder decoder, LlamaModel draft) {
        this.model = model;
        this.draft = draft;
        this.params = params;
        this.decoder = decoder;
        int n = params.slots();
        ModelAccess.attach(model, this); // refused when the model is closed; the model closes its engines first
        NativeContext.Created created = null; // freed if anything after its creation fails
        try {
            // kv_unified off: each slot its own share of the cache
            created = NativeContext.create(model, new NativeContext.Settings(params.contextSize(), params.batchSize(),
                    params.batchSize(), n, params.threads(), params.threads(), params.kvCacheType(),
                    NativeContext.MODEL_POOLING, false, false), arena, "Try a smaller context or fewer slots.");
            ctx = created.ctx();
            perSlot = created.contextSize() / n;
            batchCapacity = created.batchSize();
            memory = created.memory();
            batch = new NativeBatch(arena, batchCapacity);
            pieces = new Pieces(ModelAccess.vocab(model), arena);
            draftModel = draft == null ? null : Drafts.open(draft, model, this, n, perSlot, params.threads());
        } catch (Throwable t) {
            ModelAccess.detach(model, this);
            throw NativeContext.freeAndRethrow(created, arena, t);
        }
        slots = new Slots(n);
        composition = new Composition(n, new StepCosts(System::nanoTime), Composition.DEFAULT_BOUND);
        speculative = new Speculative(slots, batch, memory, this::sampleNext, draftModel);
        loop = Thread.ofPlatform().name("hearth-engine-" + model.path().getFileName()).daemon(true).unstarted(this::run);
    }

    /** Starts an engine on a loaded model; close it before the model. */
    public static LlamaEngine start(LlamaModel model, EngineParams params) {
        return start(model, params, LLAMA_DECODE);
    }

    /**
     * Starts an engine whose requests may draft with {@code draft} (see {@link dev.hearth.llama.Speculation.Mode#DRAFT_MODEL}),
     * a smaller model with the same vocabulary; closing either model closes the engine first.
     */
    public static LlamaEngine start(LlamaModel model, EngineParams params, LlamaModel draft) {
        Objects.requireNonNull(draft, "draft");
        return start(model, params, LLAMA_DECODE, draft);
    }

    static LlamaEngine start(LlamaModel model, EngineParams params, Decoder decoder) {
        return start(model, params, decoder, null);
    }

    private static LlamaEngine start(LlamaModel model, EngineParams params, Decoder decoder, LlamaModel draft) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(params, "params");
        LlamaEngine engine = new LlamaEngine(model, params, decoder, draft);
        engine.loop.start();
        return engine;
    }

    /** Tokens one slot holds: a request's prompt plus maxTokens must fit. */
    public int slotContextSize() {
        return perSlot;
    }

    public Completion submit(String prompt, GenerationParams params, TokenSink sink) {
        return submit(model.tokenize(prompt, params.addSpecial(), params.parseSpecial()), params, sink, null);
    }

    /**
     * Submits prompt tokens. Refused at once, before anything is decoded, with {@link EngineBusyException} when
     * {@code slots + queueCapacity} requests are already admitted and unfinished, and with
     * {@link ContextOverflowException} when the prompt plus maxTokens cannot fit a slot. {@code sink} is called on a
     * virtual thread of this request's own, in order; if it throws, the request is cancelled and fails with a
     * {@link LlamaException} whose cause is what the sink threw.
     *
     * @param deadline when the request must end (its result then says DEADLINE); null for none
     */
    public Completion submit(int[] prompt, GenerationParams params, TokenSink sink, Duration deadline) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(sink, "sink");
        EngineJob[] job = new EngineJob[1];
        SinkRelay relay = new SinkRelay(sink, () -> {
            job[0].cancelled = true;
            events.offer(new Wake());
        });
        job[0] = new EngineJob(prompt.clone(), params, relay, deadlineOf(deadline));
        Completion admitted = enqueue(job[0]);
        relay.start();
        // the caller's future completes once its sink has had every piece of text (or threw)
        CompletableFuture<EngineResult> delivered = new CompletableFuture<>();
        job[0].future.whenComplete((result, error) -> relay.end().whenComplete((ignored, e) -> {
            if (relay.failure() != null) {
                delivered.completeExceptionally(new LlamaException("the request's token sink threw, so the request"
                        + " was cancelled: " + relay.failure(), relay.failure()));
            } else if (error != null) {
                delivered.completeExceptionally(error);
            } else {
                delivered.complete(result);
            }
        }));
        return admitted.deliveredBy(delivered);
    }

    static long deadlineOf(Duration deadline) {
        return deadline == null ? Long.MAX_VALUE : System.nanoTime() + deadline.toNanos();
    }

    /**
     * Answers a conversation with the model's chat template (tools, reasoning, JSON schema per {@code options}),
     * through the engine: the request shares the batch with the others. Content and reasoning deltas reach
     * {@code sink} on the calling thread, which waits for the answer.
     */
    public ChatResult chat(List<ChatMessage> messages, ChatOptions options, ChatSink sink, Duration deadline)
            throws InterruptedException {
        return EngineChat.run(this, model, messages, options, sink, deadline);
    }

    Completion enqueue(EngineJob job) {
        int[] prompt = job.prompt;
        GenerationParams params = job.params;
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        for (int t : prompt) {
            model.checkToken(t);
        }
        if (prompt.length + params.maxTokens() > perSlot) {
            throw new ContextOverflowException(prompt.length, params.maxTokens(), perSlot);
        }
        speculative.check(params);
        // one counter decides, atomically: every slot busy and the queue full means no room
        if (inFlight.incrementAndGet() > slots.count() + this.params.queueCapacity()) {
            inFlight.decrementAndGet();
            throw new EngineBusyException(Math.max(0, queued.get()));
        }
        queued.incrementAndGet();
        Submit submit = new Submit(job);
        events.add(submit);
        // the loop sets closed before it drains the queue for the last time: seen here, the submit may be left over
        if (closed && events.remove(submit)) {
            queued.decrementAndGet();
            inFlight.decrementAndGet();
            throw new IllegalStateException("the engine is closed");
        }
        return new Completion(job, () -> events.offer(new Wake()));
    }

    /**
     * For each slot, the number of positions llama.cpp holds for its sequence (highest position + 1), read on the
     * scheduler thread: what Hearth's own accounting of KV cells must agree with.
     */
    long[] nativeKvPositions() throws InterruptedException {
        var answer = new java.util.concurrent.CompletableFuture<long[]>();
        events.add(new Inspect(answer));
        try {
            return answer.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Hearth's accounting: tokens each slot holds in its KV cache. For tests, on an idle engine. */
    long[] accountedKvCells() throws InterruptedException {
        var answer = new java.util.concurrent.CompletableFuture<long[]>();
        events.add(new Inspect(answer)); // any event is handled on the loop; read the slots there too
        try {
            answer.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return slots.lengths();
    }

    private long[] kvPositions() {
        long[] out = new long[slots.count()];
        for (int s = 0; s < out.length; s++) {
            try {
                out[s] = (int) LlamaC.llama_memory_seq_pos_max.invokeExact(memory, s) + 1L;
            } catch (Throwable t) {
                throw NativeCalls.rethrow(t);
            }
        }
        return out;
    }

    public EngineStats stats() {
        return gauges.stats(slots.count(), queued.get(), speculative.totals());
    }

    /** The conversations whose openings its slots hold, and the prompt tokens it reused, for a gateway. */
    public dev.hearth.api.spi.PrefixReport prefixes() {
        return gauges.prefixes();
    }

    // ---- the scheduler loop: the only thread that touches the context ----

    private void run() {
        try {
            boolean running = true;
            while (running) {
                running = drainEvents();
                endExpired();
                assignSlots();
                if (!step()) {
                    continue;
                }
            }
        } catch (Throwable t) {
            closed = true; // refuse new work before failing what is here
            LOG.error("the engine loop failed; failing its requests and refusing new ones", t);
            slots.active().forEach(job -> fail(job, t));
            waiting.forEach(job -> fail(job, t));
        } finally {
            closed = true;
            IllegalStateException closedError = new IllegalStateException("the engine was closed");
            slots.active().forEach(job -> fail(job, closedError));
            waiting.forEach(job -> fail(job, closedError));
            events.forEach(e -> {
                if (e instanceof Submit s) {
                    fail(s.job(), closedError);
                }
            });
        }
    }

    private boolean drainEvents() throws InterruptedException {
        Event e = slots.anyActive() || !waiting.isEmpty() ? events.poll() : events.poll(50, TimeUnit.MILLISECONDS);
        while (e != null) {
            switch (e) {
                case Submit s -> waiting.add(s.job());
                case Wake w -> { }
                case Inspect i -> i.answer().complete(kvPositions());
                case Shutdown sd -> {
                    return false;
                }
            }
            e = events.poll();
        }
        return true;
    }

    private void endExpired() {
        long now = System.nanoTime();
        for (var it = waiting.iterator(); it.hasNext(); ) {
            EngineJob job = it.next();
            if (job.cancelled || now > job.deadlineNanos) {
                it.remove();
                queued.decrementAndGet();
                finish(job, job.cancelled ? FinishReason.CANCELLED : FinishReason.DEADLINE);
            }
        }
        for (EngineJob job : slots.active()) {
            if (job.cancelled || now > job.deadlineNanos) {
                finish(job, job.cancelled ? FinishReason.CANCELLED : FinishReason.DEADLINE);
            }
        }
    }

    private void assignSlots() throws Throwable {
        while (!waiting.isEmpty()) {
            EngineJob job = waiting.peek();
            int slot = slots.choose(job.prompt);
            if (slot < 0) {
                return;
            }
            waiting.poll();
            queued.decrementAndGet();
            try {
                job.sampler = new Sampler(model, job.params.sampling(), job.params.grammar(), job.grammarPrefill);
                job.output = new TokenOutput(model, pieces, job.params, job.shownSpecial);
                job.drafter = speculative.drafter(job.params, job.prompt, slot);
            } catch (Throwable e) { // one request's bad grammar (or a missing native piece) fails that request only
                fail(job, asLlamaException("preparing the request's sampler failed", e));
                continue;
            }
            // reuse the cached prefix, but evaluate at least the last prompt token to get its logits
            int reuse = Math.min(slots.commonPrefix(slot, job.prompt), job.prompt.length - 1);
            boolean removed = (boolean) LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, reuse, -1);
            if (!removed) {
                LlamaC.llama_memory_seq_rm.invokeExact(memory, slot, -1, -1);
                reuse = 0;
            }
            slots.truncate(slot, reuse);
            job.cached = reuse;
            job.fed = reuse;
            job.assignedNanos = System.nanoTime();
            slots.assign(slot, job);
            gauges.assigned(job.prompt.length, reuse, slots);
        }
    }

    /** Builds and decodes one batch; returns false when there was nothing to do. */
    private boolean step() throws Throwable {
        int n = 0, sequences = 0;
        int[] outputSlot = new int[batchCapacity];
        boolean[] decodeNow = composition.choose(s -> slots.job(s) != null && slots.job(s).pending >= 0);
        boolean alone = generating() == 1; // time-slicing makes steps of one, but not a request alone
        for (int s = 0; s < slots.count() && n < batchCapacity; s++) {
            EngineJob job = slots.job(s);
            if (job == null || (job.pending >= 0 && !decodeNow[s])) {
                continue;
            }
            sequences++;
            if (job.pending >= 0) {
                int pos = job.fed + job.generatedCount() - 1;
                outputSlot[n] = s;
                n = add(n, job.pending, pos, s, true);
                if (job.drafter != null) { // drafts past maxTokens could never be kept
                    int[] draft = job.drafter.draft(Math.min(batchCapacity - n,
                            job.params.maxTokens() - job.generatedCount() - 1), alone, composition.costs());
                    for (int i = 0; i < draft.length; i++) {
                        outputSlot[n] = s;
                        n = add(n, draft[i], pos + 1 + i, s, true);
                    }
                }
            } else if (job.prefilling()) {
                int chunk = Math.min(Math.min(params.prefillChunk(), job.prompt.length - job.fed), batchCapacity - n);
                for (int i = 0; i < chunk; i++) {
                    int index = job.fed + i;
                    boolean last = index == job.prompt.length - 1;
                    outputSlot[n] = s;
                    n = add(n, job.prompt[index], index, s, last);
                }
            }
        }
        if (n == 0) {
            return false;
        }
        long t0 = composition.costs().start();
        try {
            Status.checkDecode(decoder.decode(ctx, batch.of(n)), n);
        } catch (Throwable t) { // the requests of this batch fail; the loop and every other request go on
            failBatch(n, outputSlot, t);
            return true;
        }
        composition.costs().stop(t0, sequences, n);
        if (LOG.isTraceEnabled()) {
            LOG.trace("decoded {} tokens of {} sequences in {} us", n, sequences, (System.nanoTime() - t0) / 1000);
        }
        afterDecode(n, outputSlot);
        return true;
    }

    private int generating() {
        int n = 0;
        for (int s = 0; s < slots.count(); s++) {
            n += slots.job(s) != null && slots.job(s).pending >= 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Fails the requests that had tokens in a batch llama.cpp did not decode, and empties their slots: what the KV cache
     * holds for them after a failed decode is not known.
     */
    private void failBatch(int n, int[] outputSlot, Throwable t) throws Throwable {
        LlamaException error = asLlamaException("decoding a batch of " + n + " tokens failed", t);
        LOG.warn("{}; failing the requests in that batch", error.getMessage());
        for (int s : java.util.Arrays.stream(outputSlot, 0, n).distinct().toArray()) {
            EngineJob job = slots.job(s);
            if (job != null) {
                fail(job, error);
            }
            boolean cleared = (boolean) LlamaC.llama_memory_seq_rm.invokeExact(memory, s, -1, -1); // whole sequence: true
            assert cleared;
            slots.truncate(s, 0);
        }
        gauges.cells(slots);
    }

    private static LlamaException asLlamaException(String what, Throwable t) {
        // the cause's own words (a refused grammar says what to fix), its class only when it has none
        return t instanceof LlamaException e ? e : new LlamaException(what + ": "
                + (t.getMessage() == null ? t.toString() : t.getMessage()), t);
    }

    private int add(int i, int token, int pos, int seq, boolean logits) {
        batch.set(i, token, pos, seq, logits);
        return i + 1;
    }

    private void afterDecode(int n, int[] outputSlot) {
        for (int i = 0; i < n; i++) {
            int s = outputSlot[i];
            EngineJob job = slots.job(s);
            if (job.pending >= 0 && job.drafter != null && job.drafter.current().length > 0) {
                i = speculative.verify(job, s, i) - 1; // the pending token and its drafts
                continue;
            }
            int token = batch.token(i);
            slots.append(s, token); // the token now sits in the slot's KV cache
            if (job.pending >= 0) {
                job.pending = -1;
            } else {
                job.fed++;
            }
            if (batch.wantsLogits(i)) {
                sampleNext(job, i);
            }
        }
        gauges.cells(slots);
    }

    private void sampleNext(EngineJob job, int index) {
        try {
            int token = job.sampler.sample(ctx, index, job.output.pendingUtf8());
            FinishReason reason = job.output.accept(token);
            if (job.generatedCount() == 1) {
                job.firstTokenNanos = System.nanoTime();
            }
            if (job.drafter != null) {
                job.drafter.seen(token);
            }
            if (!job.output.shown().isEmpty()) {
                job.sink.onText(job.output.shown());
            }
            if (reason != null) {
                finish(job, reason);
            } else {
                job.pending = token;
            }
        } catch (RuntimeException | Error e) {
            fail(job, asLlamaException("sampling failed", e));
        }
    }

    private void finish(EngineJob job, FinishReason reason) {
        try {
            String rest = job.output == null ? "" : job.output.finish();
            if (!rest.isEmpty()) {
                job.sink.onText(rest);
            }
        } catch (RuntimeException e) {
            fail(job, e);
            return;
        }
        job.endNanos = System.nanoTime();
        release(job);
        EngineResult result;
        try {
            result = job.result(reason);
            job.params.grammar().check(result.text(), reason, result.stats().generatedTokens());
        } catch (RuntimeException e) { // an answer that fails its JSON schema is an error, never a result
            job.future.completeExceptionally(e);
            return;
        }
        job.future.complete(result);
    }

    private void fail(EngineJob job, Throwable error) {
        job.endNanos = System.nanoTime();
        release(job);
        job.future.completeExceptionally(error);
    }

    private void release(EngineJob job) {
        if (job.released) {
            return;
        }
        job.released = true;
        inFlight.decrementAndGet();
        if (job.sampler != null) {
            job.sampler.close();
            job.sampler = null;
        }
        if (job.slot >= 0) {
            slots.free(job.slot);
            job.slot = -1;
            gauges.freed();
        }
        if (!job.future.isDone()) {
            gauges.completed();
        }
    }

    /**
     * Stops the loop (requests still running end with an IllegalStateException) and frees the context once the loop
     * has ended, even if the closing thread is interrupted while it waits (it stays interrupted). Any thread may close;
     * the context is freed once.
     */
    @Override
    public void close() {
        closed = true;
        if (!freed.compareAndSet(false, true)) {
            return;
        }
        events.add(new Shutdown());
        boolean interrupted = false;
        while (loop.isAlive()) {
            try {
                loop.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            Drafts.close(draftModel, draft, this);
            NativeBatch.freeWithContext(batch, ctx, arena);
        } finally {
            ModelAccess.detach(model, this);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
