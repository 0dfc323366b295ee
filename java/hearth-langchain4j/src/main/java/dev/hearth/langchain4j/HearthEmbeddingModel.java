package dev.hearth.langchain4j;

import dev.hearth.api.EmbeddingBackend;
import dev.hearth.runtime.Hearth;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * LangChain4j's {@link EmbeddingModel} over one of Hearth's embedders: by default the one the installed backends offer
 * (hearth-onnx's all-MiniLM-L6-v2, 384 dimensions, L2-normalised), or a local embedding model in a directory that an
 * installed backend reads (for ONNX: {@code model.onnx} and {@code tokenizer.json}). Embeddings run on this machine and
 * cost nothing. Thread-safe; {@link #close()} closes only an embedder this model opened from a directory.
 */
public final class HearthEmbeddingModel implements EmbeddingModel, AutoCloseable {
    private final EmbeddingBackend embedder;
    private final String name;
    private final boolean owned;

    private HearthEmbeddingModel(EmbeddingBackend embedder, String name, boolean owned) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.name = name;
        this.owned = owned;
    }

    /** The default embedder, shared with the rest of Hearth, named as {@link Hearth#embedderName()} names it. */
    public static HearthEmbeddingModel of(Hearth hearth) {
        try {
            EmbeddingBackend shared = hearth.embedder(null);
            return new HearthEmbeddingModel(shared, hearth.embedderName().orElse(shared.name()), false);
        } catch (RuntimeException e) {
            throw Failures.of(e);
        }
    }

    /** The embedding model in {@code dir}, opened now; closed with this model. */
    public static HearthEmbeddingModel of(Hearth hearth, Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            EmbeddingBackend opened = hearth.embedder(dir);
            return new HearthEmbeddingModel(opened, opened.name(), true);
        } catch (RuntimeException e) {
            throw Failures.of(e);
        }
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Objects.requireNonNull(segments, "segments");
        List<String> texts = segments.stream().map(s -> Objects.requireNonNull(s, "a text segment").text()).toList();
        if (texts.isEmpty()) {
            return Response.from(List.of(), new TokenUsage(0));
        }
        List<EmbeddingBackend.Embedded> vectors;
        try {
            vectors = embedder.embedAll(texts);
        } catch (RuntimeException e) {
            throw Failures.of(e);
        }
        int tokens = vectors.stream().mapToInt(EmbeddingBackend.Embedded::tokens).sum();
        return Response.from(vectors.stream().map(v -> Embedding.from(v.vector())).toList(),
                tokens == 0 ? null : new TokenUsage(tokens));
    }

    @Override
    public int dimension() {
        return embedder.dimensions();
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public void close() {
        if (owned && embedder instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new dev.langchain4j.exception.LangChain4jException("closing the embedder " + embedder.name()
                        + " failed: " + e.getMessage(), e);
            }
        }
    }
}
