package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void loadsTheTinyModelAndGenerates() {
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
             LlamaContext ctx = model.newContext(TestModels.context())) {
            StringBuilder out = new StringBuilder();
            GenerationResult r = ctx.generate("Hello world", GenerationParams.defaults().withMaxTokens(16)
                    .withSampling(SamplingParams.greedy()), out::append);
            System.out.println(model.description() + " -> " + r + " text=" + out);
            assertThat(r.generatedTokens()).isPositive();
        }
    }
}
