package dev.hearth.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One check of sampling parameters: a chat request refuses what no backend can honour, NaN included. */
class SamplingLimitsTest {
    private static final List<ChatMessage> HI = List.of(ChatMessage.user("hi"));

    @Test
    void aChatRequestRefusesNaNAndOutOfRangeSampling() {
        for (double t : new double[] {Double.NaN, -1, 2.01, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ChatRequest.of("m", HI).withTemperature(t))
                    .hasMessageContaining("temperature must be between 0 (greedy) and 2");
        }
        for (double p : new double[] {Double.NaN, 0, -0.5, 1.5}) {
            assertThatThrownBy(() -> ChatRequest.of("m", HI).withTopP(p)).hasMessageContaining("top_p must be");
        }
        assertThatThrownBy(() -> ChatRequest.of("m", HI).withMaxTokens(0)).hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> ChatRequest.of("m", HI).withMaxTokens(SamplingLimits.MAX_TOKENS + 1))
                .hasMessageContaining("max_tokens");
    }
}
