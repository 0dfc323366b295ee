package dev.hearth.llama.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.spi.BackendTarget;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LocalTuning;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.SamplingParams;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama.cpp as a backend provider: what it serves, what it reads, its estimate and its tuning. */
class LlamaBackendTest {
    @TempDir
    Path dir;

    private static BackendTarget local(Path file) {
        return new BackendTarget("m", "local", file.toString(), file, null, Map.of());
    }

    @Test
    void itServesLocalFilesAndNothingRemote() throws Exception {
        Path file = dir.resolve("m.gguf");
        SyntheticModel.tiny().write(file);
        LlamaBackend backend = new LlamaBackend();
        assertThat(backend.serves(local(file))).isTrue();
        assertThat(backend.serves(new BackendTarget("c", "anthropic", "claude", null, null, Map.of()))).isFalse();
        assertThat(backend.serves(new BackendTarget("o", "onnx", dir.toString(), dir, null, Map.of()))).isFalse();
        var model = backend.local(local(file)).orElseThrow();
        assertThat(model.layers()).isEqualTo(SyntheticModel.tiny().nLayer());
        assertThat(model.estimate(EstimateParams.cpu(512)).total()).isPositive();
        assertThat(model.notes()).singleElement().asString().contains("random weights");
    }

    @Test
    void aGgufThatDeclaresAPoolingIsAnEmbeddingModelWhoseVectorsAreLlamaCppsThroughTheEmbeddingContext()
            throws Exception {
        Path embedding = dir.resolve("e.gguf");
        SyntheticModel.tiny().writeEmbedding(embedding);
        Path chat = dir.resolve("c.gguf");
        SyntheticModel.tiny().write(chat);
        Path reranker = dir.resolve("r.gguf");
        SyntheticModel.tiny().write(reranker, w -> w.putUInt32("llama.pooling_type", 4));
        LlamaBackend backend = new LlamaBackend();
        assertThat(backend.local(local(chat)).orElseThrow().embeds()).isFalse();
        assertThat(backend.local(local(reranker)).orElseThrow().embeds()).isFalse();
        var model = backend.local(local(embedding)).orElseThrow();
        assertThat(model.embeds()).isTrue();
        java.util.List<String> texts = java.util.List.of("hello world", "the model", "a");
        try (var loaded = model.load(EstimateParams.cpu(512), 1);
             var direct = dev.hearth.llama.LlamaModel.load(embedding, dev.hearth.llama.ModelParams.defaults());
             var context = direct.newEmbeddingContext(dev.hearth.llama.EmbeddingParams.defaults().withThreads(1)
                     .withBatchTokens(512))) {
            var embedder = loaded.embedder().orElseThrow();
            assertThat(embedder.dimensions()).isEqualTo(SyntheticModel.tiny().nEmbd());
            var embedded = embedder.embedAll(texts);
            var expected = context.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(embedded.get(i).vector()).containsExactly(expected.get(i).vector());
                assertThat(embedded.get(i).tokens()).isEqualTo(expected.get(i).tokens()).isPositive();
            }
            assertThatThrownBy(() -> loaded.chat(LocalTuning.NONE)).hasMessageContaining("embedding model");
        }
    }

    @Test
    void aDownloadThatIsNotAGgufModelIsUnreadableWithTheReason() throws Exception {
        Path html = dir.resolve("page.gguf");
        Files.writeString(html, "<html>Sign in to download this model</html>");
        assertThat(new LlamaBackend().unreadable(html)).get().asString().contains("magic");
        Path file = dir.resolve("ok.gguf");
        SyntheticModel.tiny().write(file);
        assertThat(new LlamaBackend().unreadable(file)).isEmpty();
    }

    @Test
    void tuningSetsTheTemplateAndSamplingButLeavesGreedyRequestsGreedy() {
        var tuned = LlamaBackend.tuned(new LocalTuning("{{ messages }}", 7, 99, true));
        ChatOptions sampled = tuned.apply(ChatOptions.defaults());
        assertThat(sampled.templateOverride()).isEqualTo("{{ messages }}");
        assertThat(sampled.generation().sampling().topK()).isEqualTo(7);
        assertThat(sampled.generation().sampling().seed()).isEqualTo(99);
        assertThat(sampled.generation().ignoreEog()).isTrue();
        ChatOptions greedy = tuned.apply(ChatOptions.defaults().withGeneration(ChatOptions.defaults().generation()
                .withSampling(SamplingParams.greedy())));
        assertThat(greedy.generation().sampling().isGreedy()).isTrue();
        assertThat(LlamaBackend.tuned(LocalTuning.NONE).apply(ChatOptions.defaults())).isEqualTo(ChatOptions.defaults());
    }
}
