package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.api.ContextOverflowException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingTest extends TinyModelTest {
    private static final List<String> TEXTS = List.of("the model", "hello world", "once upon a time there was a story",
            "java code", "naïve café 🔥", "a", "the the the the the");

    private static EmbeddingParams params() {
        return EmbeddingParams.defaults().withThreads(1).withBatchTokens(512);
    }

    @Test
    void vectorsHaveTheModelsWidthAndUnitLength() {
        try (EmbeddingContext ctx = model.newEmbeddingContext(params())) {
            List<float[]> vectors = ctx.embed(TEXTS);
            assertThat(vectors).hasSize(TEXTS.size());
            for (float[] v : vectors) {
                assertThat(v).hasSize(model.nEmbd());
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
            }
            assertThat(ctx.dimensions()).isEqualTo(model.nEmbd());
        }
    }

    @Test
    void theSameTextGivesTheSameVector() {
        try (EmbeddingContext ctx = model.newEmbeddingContext(params())) {
            float[] a = ctx.embed(List.of("hello world")).getFirst();
            float[] b = ctx.embed(List.of("hello world")).getFirst();
            assertThat(a).containsExactly(b);
            assertThat(cosine(a, ctx.embed(List.of("the model")).getFirst())).isLessThan(0.999);
        }
    }

    @Test
    void aBatchGivesWhatOneByOneGives() {
        try (EmbeddingContext ctx = model.newEmbeddingContext(params())) {
            List<float[]> batched = ctx.embed(TEXTS);
            List<float[]> single = new ArrayList<>();
            for (String t : TEXTS) {
                single.add(ctx.embed(List.of(t)).getFirst());
            }
            for (int i = 0; i < TEXTS.size(); i++) {
                // batched decoding changes the order of float additions, not the result beyond rounding
                assertThat(cosine(batched.get(i), single.get(i))).as(TEXTS.get(i)).isCloseTo(1.0, within(1e-5));
                for (int d = 0; d < batched.get(i).length; d++) {
                    assertThat(batched.get(i)[d]).isCloseTo(single.get(i)[d], within(1e-4f));
                }
            }
        }
    }

    @Test
    void manyTextsAreSplitIntoSeveralBatches() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add("text number " + i + " about the model");
        }
        try (EmbeddingContext ctx = model.newEmbeddingContext(params().withMaxSequences(16))) {
            List<float[]> vectors = ctx.embed(many);
            assertThat(vectors).hasSize(150);
            float[] again = ctx.embed(List.of(many.get(77))).getFirst();
            assertThat(cosine(vectors.get(77), again)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void aTextLongerThanTheBatchIsRefusedWithTheNumbers() {
        try (EmbeddingContext ctx = model.newEmbeddingContext(params().withBatchTokens(64))) {
            assertThatThrownBy(() -> ctx.embed(List.of("short", "the model ".repeat(100))))
                    .isInstanceOf(ContextOverflowException.class).hasMessageContaining("the context holds");
        }
    }

    @Test
    void poolingChoicesGiveDifferentVectors() {
        try (EmbeddingContext mean = model.newEmbeddingContext(params().withPooling(Pooling.MEAN));
             EmbeddingContext last = model.newEmbeddingContext(params().withPooling(Pooling.LAST))) {
            float[] a = mean.embed(List.of("once upon a time")).getFirst();
            float[] b = last.embed(List.of("once upon a time")).getFirst();
            assertThat(cosine(a, b)).isLessThan(0.999);
        }
        assertThat(model.embed(List.of("x"))).hasSize(1);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
