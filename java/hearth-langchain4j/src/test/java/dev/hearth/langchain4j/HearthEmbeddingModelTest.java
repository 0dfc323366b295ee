package dev.hearth.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hearth's default embedder (MiniLM, hearth-onnx) as LangChain4j's EmbeddingModel, in LangChain4j's own store. */
class HearthEmbeddingModelTest {
    @TempDir
    Path dir;

    @Test
    void inAnInMemoryEmbeddingStoreAParaphraseIsRetrievedBeforeUnrelatedText() {
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"));
             HearthEmbeddingModel model = HearthEmbeddingModel.of(hearth)) {
            List<TextSegment> segments = List.of(TextSegment.from("Quarterly revenue grew by ten percent."),
                    TextSegment.from("The cat slept on the warm windowsill all afternoon."),
                    TextSegment.from("Rust's borrow checker prevents data races at compile time."));
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            var embedded = model.embedAll(segments);
            store.addAll(embedded.content(), segments);

            var query = model.embed("A kitten napped in the sunny window for hours.").content();
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(query).maxResults(3).build()).matches();

            assertThat(matches.getFirst().embedded().text()).startsWith("The cat slept");
            assertThat(matches.getFirst().score()).isGreaterThan(matches.get(1).score());
            assertThat(model.dimension()).isEqualTo(384).isEqualTo(query.dimension());
            assertThat(model.modelName()).isEqualTo(hearth.embedderName().orElseThrow());
            assertThat(embedded.tokenUsage().inputTokenCount()).isPositive();
        }
    }
}
