package dev.hearth.llama;

import dev.hearth.api.spi.KvCacheType;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.EmbeddingBackend;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A context that turns texts into embedding vectors: many texts per decode, each its own sequence, pooled by
 * llama.cpp and L2-normalised here. Thread-safe: calls from several threads run one at a time.
 */
public final class EmbeddingContext implements AutoCloseable {
    private final LlamaModel model;
    private final EmbeddingParams params;
    private final Arena arena = Arena.ofShared();
    private final ReentrantLock lock = new ReentrantLock();
    private final MemorySegment ctx;
    private final MemorySegment memory;
    private final NativeBatch batch;
    private final int capacity;
    private final int dimensions;
    private final boolean encoderOnly;
    private boolean closed;

    EmbeddingContext(LlamaModel model, EmbeddingParams params) {
        this.model = model;
        this.params = params;
        NativeContext.Created created = null; // freed if anything after its creation fails
        try {
            int size = Math.min(params.batchTokens(), Math.max(8, model.nCtxTrain()));
            // a sequence must sit in one micro-batch to be pooled
            created = NativeContext.create(model, new NativeContext.Settings(size, size, size, params.maxSequences(),
                    params.threads(), params.threads(), KvCacheType.F16, pooling(model, params.pooling()), true, true),
                    arena, "Try fewer batch tokens.");
            ctx = created.ctx();
            if ((int) LlamaC.llama_pooling_type.invokeExact(ctx) == RANK_POOLING) {
                // llama.cpp would hand back n_cls_out scores where Hearth reads n_embd floats
                throw notAnEmbedder(model);
            }
            capacity = created.batchSize();
            memory = created.memory();
            dimensions = model.nEmbd();
            encoderOnly = (boolean) LlamaC.llama_model_has_encoder.invokeExact(model.handle())
                    && !(boolean) LlamaC.llama_model_has_decoder.invokeExact(model.handle());
            batch = new NativeBatch(arena, capacity);
        } catch (Throwable t) {
            throw NativeContext.freeAndRethrow(created, arena, t);
        }
    }

    /** {@code LLAMA_POOLING_TYPE_RANK}. */
    private static final int RANK_POOLING = 4;

    private static int pooling(LlamaModel model, Pooling pooling) {
        if (pooling != Pooling.MODEL) {
            return pooling.value();
        }
        java.util.OptionalLong declared = model.gguf().integer(model.gguf().architecture() + ".pooling_type");
        if (declared.isPresent() && declared.getAsLong() == RANK_POOLING) {
            throw notAnEmbedder(model);
        }
        return declared.isPresent() ? Pooling.MODEL.value() : Pooling.MEAN.value();
    }

    private static IllegalArgumentException notAnEmbedder(LlamaModel model) {
        return new IllegalArgumentException(model.path().getFileName() + " is a reranker (rank pooling): it scores a"
                + " query against a document instead of embedding a text; use an embedding model, or pass another"
                + " pooling (MEAN, CLS, LAST) to read its hidden states");
    }

    /** Vector length: the model's embedding width. */
    public int dimensions() {
        return dimensions;
    }

    /** The most tokens one text may have: the batch (see {@link EmbeddingParams#batchTokens()}). */
    public int capacity() {
        return capacity;
    }

    /**
     * One vector per text, in order. A text longer than the batch (see {@link EmbeddingParams#batchTokens()})
     * is refused with a {@link ContextOverflowException} before anything is decoded.
     */
    public List<float[]> embed(List<String> texts) {
        return embedAll(texts).stream().map(EmbeddingBackend.Embedded::vector).toList();
    }

    /**
     * As {@link #embed}, with how many tokens each text was (none is cut: a text longer than the batch is refused with
     * a {@link ContextOverflowException} that names it and the numbers, before anything is decoded).
     */
    public List<EmbeddingBackend.Embedded> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<int[]> tokenized = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int[] t = model.tokenize(Objects.requireNonNull(texts.get(i), "a text"), true, false);
            if (t.length == 0) {
                t = new int[] {model.tokenBos()};
            }
            if (t.length > capacity) {
                throw new ContextOverflowException("text " + i + " is " + t.length + " tokens but the context holds "
                        + capacity + " (" + model.path().getFileName() + " embeds a text in one batch); shorten or"
                        + " split it", t.length, capacity);
            }
            tokenized.add(t);
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the embedding context is closed");
            }
            List<EmbeddingBackend.Embedded> out = new ArrayList<>(texts.size());
            int next = 0;
            while (next < tokenized.size()) {
                int first = next, used = 0;
                while (next < tokenized.size() && next - first < params.maxSequences()
                        && used + tokenized.get(next).length <= capacity) {
                    used += tokenized.get(next++).length;
                }
                List<float[]> vectors = decode(tokenized.subList(first, next), used);
                for (int i = 0; i < vectors.size(); i++) {
                    out.add(new EmbeddingBackend.Embedded(vectors.get(i), false, tokenized.get(first + i).length));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private List<float[]> decode(List<int[]> texts, int total) {
        try {
            LlamaC.llama_memory_clear.invokeExact(memory, true);
            int i = 0;
            for (int seq = 0; seq < texts.size(); seq++) {
                int[] t = texts.get(seq);
                for (int j = 0; j < t.length; j++, i++) {
                    batch.set(i, t[j], j, seq, true);
                }
            }
            MemorySegment filled = batch.of(total);
            int status = encoderOnly ? (int) LlamaC.llama_encode.invokeExact(ctx, filled)
                    : (int) LlamaC.llama_decode.invokeExact(ctx, filled);
            Status.checkDecode(status, total);
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (int seq = 0; seq < texts.size(); seq++) {
                MemorySegment e = (MemorySegment) LlamaC.llama_get_embeddings_seq.invokeExact(ctx, seq);
                if (e.equals(MemorySegment.NULL)) {
                    throw new LlamaException("llama.cpp returned no pooled embedding; choose a pooling other than none");
                }
                float[] v = e.reinterpret(dimensions * 4L).toArray(JAVA_FLOAT);
                vectors.add(params.normalize() ? normalize(v) : v);
            }
            return vectors;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            NativeBatch.freeWithContext(batch, ctx, arena);
            model.forget(this);
        } finally {
            lock.unlock();
        }
    }
}
