package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaException;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.TinyModelTest;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the engine does when a batch, a sink or its closing goes wrong: fail what is affected, serve the rest. */
class EngineFailuresTest extends TinyModelTest {
    private static EngineParams params() {
        return EngineParams.defaults().withParallel(2).withContextSize(2048).withBatchSize(128).withPrefillChunk(32)
                .withThreads(1);
    }

    private static GenerationParams tokens(int n) {
        return GenerationParams.defaults().withMaxTokens(n).withSampling(SamplingParams.greedy()).withIgnoreEog(true);
    }

    private static int[] prompt(int i) {
        return model.tokenize(" request " + i + " once upon a time", true, false);
    }

    /** llama_decode, failing (with a status, or by throwing) while {@code failing} is set. */
    private static LlamaEngine.Decoder failingWhen(AtomicBoolean failing, Throwable thrown) {
        return (ctx, batch) -> {
            if (failing.get()) {
                if (thrown != null) {
                    throw thrown;
                }
                return -3; // what llama.cpp returns for an allocation failure inside the graph
            }
            return (int) dev.hearth.llama.ffi.LlamaC.llama_decode.invokeExact(ctx, batch);
        };
    }

    @Test
    void aBatchThatFailsToDecodeFailsItsRequestsAndTheEngineServesTheNext() throws Exception {
        for (Throwable thrown : new Throwable[] {null, new OutOfMemoryError("simulated")}) {
            AtomicBoolean failing = new AtomicBoolean();
            try (LlamaEngine engine = LlamaEngine.start(model, params(), failingWhen(failing, thrown))) {
                CountDownLatch started = new CountDownLatch(1);
                Completion victim = engine.submit(prompt(0), tokens(400), text -> {
                    failing.set(true);
                    started.countDown();
                }, null);
                assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> victim.future().get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(LlamaException.class)
                        .hasMessageContaining("decod");
                failing.set(false);
                EngineResult next = engine.submit(prompt(1), tokens(12), TokenSink.discard(), null).future()
                        .get(60, TimeUnit.SECONDS);
                assertThat(next.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
                assertThat(next.tokens()).hasSize(12);
                assertThat(engine.stats().busySlots()).isZero();
                assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
            }
        }
    }

    @Test
    void anErrorFromASinkFailsItsRequestInsteadOfReportingSuccess() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            Completion c = engine.submit(prompt(0), tokens(200), text -> {
                throw new AssertionError("the client's own check failed");
            }, null);
            assertThatThrownBy(() -> c.future().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LlamaException.class).hasMessageContaining("the client's own check failed")
                    .cause().isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void aChatSinkThatThrowsStopsItsRequestRatherThanDecodingToTheLimit() throws Exception {
        AtomicInteger decodes = new AtomicInteger();
        LlamaEngine.Decoder counting = (ctx, batch) -> {
            decodes.incrementAndGet();
            return (int) dev.hearth.llama.ffi.LlamaC.llama_decode.invokeExact(ctx, batch);
        };
        try (LlamaEngine engine = LlamaEngine.start(model, params(), counting)) {
            ChatOptions options = ChatOptions.defaults().withReasoning(false).withGeneration(tokens(900));
            assertThatThrownBy(() -> engine.chat(List.of(ChatMessage.user("Tell me everything")), options,
                    delta -> {
                        throw new IllegalStateException("the client went away");
                    }, null)).isInstanceOf(IllegalStateException.class).hasMessage("the client went away");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (engine.stats().busySlots() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(engine.stats().busySlots()).isZero();
            assertThat(decodes.get()).as("decode steps before the slot was freed").isLessThan(900);
        }
    }

    @Test
    void aClosedEngineRefusesWorkAndAnInterruptedCloseStillWaitsForTheLoop() throws Exception {
        LlamaEngine engine = LlamaEngine.start(model, params());
        CountDownLatch started = new CountDownLatch(1);
        Completion running = engine.submit(prompt(0), tokens(900), text -> started.countDown(), null);
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt();
        engine.close(); // an interrupt must not let close free the context under the running loop
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        engine.close(); // a second close does nothing
        assertThatThrownBy(() -> running.future().get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> engine.submit(prompt(1), tokens(4), TokenSink.discard(), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (LlamaEngine again = LlamaEngine.start(model, params())) { // the model is intact
            assertThat(again.submit(prompt(1), tokens(4), TokenSink.discard(), null).future().get(60, TimeUnit.SECONDS)
                    .tokens()).hasSize(4);
        }
    }
}
