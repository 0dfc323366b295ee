package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.hearth.testkit.onnx.OnnxWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bag-of-embeddings classifier the test writes as ONNX, with MiniLM's tokenizer, against a reference in Java. */
class SequenceClassifierTest {
    static final int VOCAB = 30522, D = 4, LABELS = 3;

    @Test
    void logitsBecomeNamedLabelsWithProbabilitiesBestFirst(@TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        float[] embed = new float[VOCAB * D], w = new float[D * LABELS];
        for (int i = 0; i < embed.length; i++) {
            embed[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        byte[] model = new OnnxWriter().input("input_ids", OnnxWriter.INT64, "b", "s")
                .input("attention_mask", OnnxWriter.INT64, "b", "s")
                .output("logits", OnnxWriter.FLOAT, "b", LABELS)
                .floats("E", embed, VOCAB, D).floats("W", w, D, LABELS)
                .node("Gather", List.of("E", "input_ids"), List.of("tok"))
                .node("ReduceMean", List.of("tok"), List.of("mean"), "axes", new long[] {1}, "keepdims", 0L)
                .node("MatMul", List.of("mean", "W"), List.of("logits")).model(17);
        Files.write(dir.resolve("model.onnx"), model);
        try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"negative\", \"1\": \"neutral\","
                + " \"2\": \"positive\"}, \"model_type\": \"test\"}");
        String text = "what a lovely day";
        try (SequenceClassifier c = SequenceClassifier.fromDirectory(dir, 128);
             HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
            List<SequenceClassifier.Label> labels = c.classify(text);
            assertThat(labels).extracting(SequenceClassifier.Label::name)
                    .containsExactlyInAnyOrder("negative", "neutral", "positive");
            assertThat(labels.stream().mapToDouble(SequenceClassifier.Label::probability).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(labels.get(0).probability()).isGreaterThanOrEqualTo(labels.get(1).probability());
            // the reference: mean of the token embeddings, times W, softmax
            long[] ids = tok.encode(text).getIds();
            double[] logits = new double[LABELS];
            for (int l = 0; l < LABELS; l++) {
                for (int d = 0; d < D; d++) {
                    double mean = 0;
                    for (long id : ids) {
                        mean += embed[(int) id * D + d];
                    }
                    logits[l] += mean / ids.length * w[d * LABELS + l];
                }
            }
            int best = 0;
            for (int l = 1; l < LABELS; l++) {
                best = logits[l] > logits[best] ? l : best;
            }
            assertThat(labels.get(0).name()).isEqualTo(List.of("negative", "neutral", "positive").get(best));
        }
    }

    @Test
    void aClassifierWithoutItsLabelsIsRefusedClearly(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SequenceClassifier.fromDirectory(dir, 128)).isInstanceOf(OnnxException.class)
                .hasMessageContaining("needs model.onnx, tokenizer.json and config.json");
        Files.write(dir.resolve("model.onnx"), new byte[] {1});
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertThatThrownBy(() -> SequenceClassifier.fromDirectory(dir, 128)).isInstanceOf(OnnxException.class)
                .hasMessageContaining("no id2label");
    }
}
