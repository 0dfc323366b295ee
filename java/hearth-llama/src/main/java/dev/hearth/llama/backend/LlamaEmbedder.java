package dev.hearth.llama.backend;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LoadedModel;
import dev.hearth.api.spi.LocalTuning;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.llama.EmbeddingContext;
import dev.hearth.llama.EmbeddingParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A GGUF embedding model as the model host holds it: its weights and one {@link EmbeddingContext} sized by the host's
 * context (every text of a call decoded in batches, pooled as the GGUF says, L2-normalised), offered as an
 * {@link EmbeddingBackend}; it does not chat. Thread-safe: the context runs one call at a time.
 */
public final class LlamaEmbedder implements LoadedModel, EmbeddingBackend {
    /** {@code LLAMA_POOLING_TYPE_MEAN}, {@code _CLS} and {@code _LAST}: the poolings that make one vector per text. */
    private static final long FIRST_POOLING = 1, LAST_POOLING = 3;

    private final String id;
    private final LlamaModel model;
    private final EmbeddingContext context;

    private LlamaEmbedder(String id, LlamaModel model, EmbeddingContext context) {
        this.id = id;
        this.model = model;
        this.context = context;
    }

    /**
     * Whether a GGUF is an embedding model: its metadata declares a pooling that makes one vector per text
     * ({@code <arch>.pooling_type} mean, CLS or last), as llama.cpp's converter writes for sentence-embedding models.
     * A chat model declares none; a reranker declares rank pooling (a score, not a vector).
     */
    public static boolean embeds(GgufFile f) {
        long pooling = f.integer(f.architecture() + ".pooling_type").orElse(-1);
        return pooling >= FIRST_POOLING && pooling <= LAST_POOLING;
    }

    /**
     * The memory an embedding model takes: its weights and a context of {@code p}'s size whose whole batch is one
     * micro-batch (a text is pooled within one).
     */
    static MemoryEstimate estimate(GgufFile f, EstimateParams p) {
        return GgufMemory.estimate(f, p.withMicroBatch(p.contextSize()));
    }

    /** Loads {@code file} with a context of {@code p}'s size (at most what the model was trained for). */
    static LlamaEmbedder load(String id, Path file, EstimateParams p, int threads) {
        LlamaModel model = LlamaModel.load(file, ModelParams.defaults().withGpuLayers(p.gpuLayers()));
        try {
            EmbeddingContext context = model.newEmbeddingContext(EmbeddingParams.defaults()
                    .withBatchTokens(Math.max(8, p.contextSize())).withThreads(threads));
            return new LlamaEmbedder(id, model, context);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "local:" + id;
    }

    @Override
    public int dimensions() {
        return context.dimensions();
    }

    /** The most tokens one text may have. */
    public int maxTokens() {
        return context.capacity();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return context.embed(texts);
    }

    @Override
    public List<Embedded> embedAll(List<String> texts) {
        return context.embedAll(texts);
    }

    @Override
    public Optional<EmbeddingBackend> embedder() {
        return Optional.of(this);
    }

    /** None: the runtime refuses a chat with an embedding model before it loads one. */
    @Override
    public ChatBackend chat(LocalTuning tuning) {
        throw new UnsupportedOperationException(id + " is an embedding model; it does not chat");
    }

    @Override
    public void close() {
        context.close();
        model.close();
    }
}
