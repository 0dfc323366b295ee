package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.onnx.OnnxWriter;
import dev.hearth.testkit.onnx.TinyDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Generation with a tiny decoder-only ONNX model the test writes itself, against a reference without a KV cache. */
class OnnxCausalLmTest {
    /**
     * Each token generated with the KV cache is the best one by the reference's logits over the whole sequence so far.
     * Two logits within rounding of each other may be ordered either way by two float implementations, so a token
     * counts as the reference's choice when its logit is within {@code 1e-4} of the best, and the reference follows
     * the tokens actually generated.
     */
    @Test
    void greedyGenerationWithTheKvCacheFollowsTheStepByStepReference() {
        for (long seed : new long[] {1, 2, 3}) {
            TinyDecoder model = new TinyDecoder(seed);
            long[] prompt = {3, 7, 1, 12};
            try (OnnxCausalLm lm = OnnxCausalLm.load(model.onnx(), 1)) {
                assertThat(lm.layers()).isEqualTo(1);
                List<Long> streamed = new ArrayList<>();
                long[] got = lm.generate(prompt, 20, OnnxCausalLm.Sampling.greedy(), Set.of(), streamed::add, () -> false);
                assertThat(got).hasSize(20);
                assertThat(streamed).containsExactly(Arrays.stream(got).boxed().toArray(Long[]::new));
                long[] sequence = Arrays.copyOf(prompt, prompt.length);
                for (int i = 0; i < got.length; i++) {
                    float[] logits = model.lastLogits(sequence);
                    float best = logits[0];
                    for (float l : logits) {
                        best = Math.max(best, l);
                    }
                    assertThat(logits[(int) got[i]]).as("seed %d, token %d (%d)", seed, i, got[i])
                            .isCloseTo(best, org.assertj.core.data.Offset.offset(1e-4f));
                    sequence = Arrays.copyOf(sequence, sequence.length + 1);
                    sequence[sequence.length - 1] = got[i];
                }
            }
        }
    }

    @Test
    void stopTokensCancellationAndSeededSamplingBehave() {
        TinyDecoder model = new TinyDecoder(5);
        try (OnnxCausalLm lm = OnnxCausalLm.load(model.onnx(), 1)) {
            long[] greedy = lm.generate(new long[] {1, 2}, 10, OnnxCausalLm.Sampling.greedy(), Set.of(), t -> { }, () -> false);
            long[] stopped = lm.generate(new long[] {1, 2}, 10, OnnxCausalLm.Sampling.greedy(), Set.of(greedy[2]),
                    t -> { }, () -> false);
            assertThat(stopped).hasSizeLessThanOrEqualTo(3).endsWith(greedy[2]);
            AtomicInteger seen = new AtomicInteger();
            long[] cancelled = lm.generate(new long[] {1, 2}, 10, OnnxCausalLm.Sampling.greedy(), Set.of(),
                    t -> seen.incrementAndGet(), () -> seen.get() >= 4);
            assertThat(cancelled).hasSize(4);
            var hot = new OnnxCausalLm.Sampling(1.5f, 0, 1, 42);
            assertThat(lm.generate(new long[] {1, 2}, 12, hot, Set.of(), t -> { }, () -> false))
                    .containsExactly(lm.generate(new long[] {1, 2}, 12, hot, Set.of(), t -> { }, () -> false));
        }
    }

    @Test
    void aModelThatIsNotADecoderOrNotOnnxIsRefusedClearly() {
        assertThatThrownBy(() -> OnnxCausalLm.load(new byte[] {9, 9, 9}, 1)).isInstanceOf(OnnxException.class)
                .hasMessageContaining("complete .onnx file");
        byte[] noCache = new OnnxWriter().input("input_ids", OnnxWriter.INT64, "b", "s")
                .output("logits", OnnxWriter.FLOAT, "b", "s", 4)
                .floats("E", new float[16], 4, 4)
                .node("Gather", List.of("E", "input_ids"), List.of("logits")).model(17);
        assertThatThrownBy(() -> OnnxCausalLm.load(noCache, 1)).isInstanceOf(OnnxException.class)
                .hasMessageContaining("no past_key_values");
        try (OnnxCausalLm lm = OnnxCausalLm.load(new TinyDecoder(1).onnx(), 1)) {
            assertThatThrownBy(() -> lm.generate(new long[] {3, 1031}, 4, OnnxCausalLm.Sampling.greedy(), Set.of(),
                    t -> { }, () -> false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id 1031 is outside this model's vocabulary of 16 tokens");
        }
    }
}
