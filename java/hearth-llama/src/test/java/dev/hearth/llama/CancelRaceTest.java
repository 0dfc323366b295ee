package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cancel that lands the moment a generation begins belongs to that generation (issue 13, item 16): a context used
 * to take ownership and then clear a shared stop flag, so a cancel landing between the two was lost and the
 * generation ran to its token limit. Here a second thread cancels as soon as it sees the context taken, many times
 * over; every generation must end CANCELLED.
 */
class CancelRaceTest extends TinyModelTest {
    @Test
    void aCancelLandingAsAGenerationStartsIsNeverLost() throws Exception {
        GenerationParams endless = GenerationParams.defaults().withMaxTokens(2000).withIgnoreEog(true);
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            for (int round = 0; round < 200; round++) {
                CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                    while (!ctx.inUse()) {
                        Thread.onSpinWait();
                    }
                    ctx.cancel();
                });
                GenerationResult result = ctx.generate("a", endless, TokenSink.discard());
                canceller.get(60, TimeUnit.SECONDS);
                assertThat(result.finishReason()).as("round " + round).isEqualTo(FinishReason.CANCELLED);
                assertThat(result.generatedTokens()).as("round " + round).isLessThan(2000);
            }
        }
    }
}
