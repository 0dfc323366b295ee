package dev.hearth.spring.ai;

import dev.hearth.api.EmbeddingBackend;
import dev.hearth.runtime.Hearth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * Spring AI's {@link EmbeddingModel} over the runtime's default embedder (the one {@code /v1/embeddings} serves: with
 * hearth-onnx, the bundled all-MiniLM-L6-v2), loaded on first use. L2-normalised vectors, one per text, in order.
 * Thread-safe.
 */
public final class HearthEmbeddingModel implements EmbeddingModel {
    private final Hearth hearth;

    public HearthEmbeddingModel(Hearth hearth) {
        this.hearth = Objects.requireNonNull(hearth, "hearth");
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        EmbeddingBackend embedder = hearth.embedder(null);
        List<float[]> vectors = embedder.embed(request.getInstructions());
        List<Embedding> out = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            out.add(new Embedding(vectors.get(i), i));
        }
        return new EmbeddingResponse(out, new EmbeddingResponseMetadata(embedder.name(), new org.springframework.ai.chat.metadata.EmptyUsage()));
    }

    @Override
    public float[] embed(Document document) {
        return embed(getEmbeddingContent(document));
    }

    @Override
    public int dimensions() {
        return hearth.embedder(null).dimensions();
    }
}
