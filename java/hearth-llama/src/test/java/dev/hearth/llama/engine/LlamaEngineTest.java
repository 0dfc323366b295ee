package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.HearthException;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatResult;
import dev.hearth.llama.ChatTemplatesTest;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaException;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.TestModels;
import dev.hearth.llama.TinyModelTest;
import dev.hearth.llama.ToolChoice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlamaEngineTest extends TinyModelTest {
    private static EngineParams params() {
        return EngineParams.defaults().withParallel(4).withContextSize(4096).withBatchSize(256).withPrefillChunk(64)
                .withThreads(1);
    }

    private static GenerationParams sampled(long seed, float temperature, int maxTokens) {
        SamplingParams s = temperature == 0 ? SamplingParams.greedy()
                : SamplingParams.defaults().withTemperature(temperature).withSeed(seed);
        return GenerationParams.defaults().withMaxTokens(maxTokens).withSampling(s).withIgnoreEog(true);
    }

    private static int[] prompt(int i) {
        return model.tokenize(" the model number " + i + " once upon a time", true, false);
    }

    @Test
    void concurrentRequestsGetExactlyWhatTheyGetAlone() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            int n = 16;
            List<int[]> alone = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                alone.add(engine.submit(prompt(i), sampled(100 + i, i % 4 == 0 ? 0f : 0.5f + i * 0.05f, 20),
                        TokenSink.discard(), null).result().tokens());
            }
            List<Completion> together = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                together.add(engine.submit(prompt(i), sampled(100 + i, i % 4 == 0 ? 0f : 0.5f + i * 0.05f, 20),
                        TokenSink.discard(), null));
            }
            for (int i = 0; i < n; i++) {
                // llama.cpp decodes each sequence of a batch with the same kernels as alone on this backend, so the
                // tokens are equal, not just close; a mismatch here is a scheduling bug
                assertThat(together.get(i).result().tokens()).as("request %d", i).containsExactly(alone.get(i));
            }
            assertThat(engine.stats().busySlots()).isZero();
        }
    }

    @Test
    void aSecondTurnReusesTheFirstTurnsPrefix() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(2))) {
            int[] first = model.tokenize("<|im_start|>user\nhello the model<|im_end|>\n<|im_start|>assistant\n", true, true);
            EngineResult one = engine.submit(first, sampled(1, 0f, 12), TokenSink.discard(), null).result();
            assertThat(one.stats().cachedPromptTokens()).isZero();
            int[] newTurn = model.tokenize("<|im_end|>\n<|im_start|>user\nand java code?<|im_end|>\n", false, true);
            int[] second = concat(first, one.tokens(), newTurn);
            EngineResult two = engine.submit(second, sampled(1, 0f, 12), TokenSink.discard(), null).result();
            // everything already in the slot is reused: the first prompt and the answer's tokens but the last one,
            // which was sampled and never decoded; so only that token and the new turn are evaluated
            assertThat(two.stats().cachedPromptTokens()).isEqualTo(first.length + one.tokens().length - 1);
            assertThat(two.stats().evaluatedPromptTokens()).isEqualTo(newTurn.length + 1);
        }
    }

    @Test
    void cancellingOneRequestFreesItsSlotAndTheOthersFinish() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            CountDownLatch started = new CountDownLatch(1), cancelled = new CountDownLatch(1);
            // the cancel comes at the victim's first text, long before its 1,000 tokens could be done
            Completion victim = engine.submit(prompt(0), sampled(1, 0.8f, 1000), text -> {
                started.countDown();
                try {
                    cancelled.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, null);
            List<Completion> others = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                others.add(engine.submit(prompt(i), sampled(i, 0.8f, 40), TokenSink.discard(), null));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            victim.cancel();
            cancelled.countDown();
            assertThat(victim.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(victim.result().tokens().length).isLessThan(1000);
            for (Completion c : others) {
                assertThat(c.result().finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
                assertThat(c.result().tokens()).hasSize(40);
            }
            assertThat(engine.stats().busySlots()).isZero();
        }
    }

    @Test
    void aSlowSinkHoldsUpOnlyItsOwnRequest() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            CountDownLatch release = new CountDownLatch(1);
            StringBuilder seen = new StringBuilder();
            Completion slow = engine.submit(prompt(0), sampled(1, 0.8f, 30), text -> {
                try {
                    release.await(); // a client that stops reading
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.append(text);
            }, null);
            List<Completion> others = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                others.add(engine.submit(prompt(i), sampled(i, 0.8f, 40), TokenSink.discard(), null));
            }
            for (Completion c : others) { // these finish while the slow sink has not taken even its first piece
                assertThat(c.result().tokens()).hasSize(40);
            }
            assertThat(slow.isDone()).as("a result waits until its sink has had all of its text").isFalse();
            release.countDown();
            EngineResult result = slow.result();
            assertThat(result.tokens()).hasSize(30);
            assertThat(seen.toString()).isEqualTo(result.text());
        }
    }

    @Test
    void aSinkThatThrowsCancelsItsRequestWithThatError() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            Completion broken = engine.submit(prompt(0), sampled(1, 0.8f, 1000), text -> {
                throw new IllegalStateException("client went away");
            }, null);
            Completion fine = engine.submit(prompt(1), sampled(1, 0.8f, 20), TokenSink.discard(), null);
            assertThatThrownBy(broken::result).isInstanceOf(LlamaException.class)
                    .hasMessageContaining("client went away").hasCauseInstanceOf(IllegalStateException.class);
            assertThat(fine.result().tokens()).hasSize(20);
            assertThat(engine.stats().busySlots()).isZero();
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndAnOversizedRequestGetsTheNumbers() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(1).withQueueCapacity(1))) {
            Completion running = engine.submit(prompt(0), sampled(1, 0.8f, 400), TokenSink.discard(), null);
            Completion queued = engine.submit(prompt(1), sampled(1, 0.8f, 5), TokenSink.discard(), null);
            assertThatThrownBy(() -> engine.submit(prompt(2), sampled(1, 0.8f, 5), TokenSink.discard(), null))
                    .isInstanceOf(EngineBusyException.class).hasMessageContaining("busy");
            running.cancel();
            assertThat(queued.result().tokens()).hasSize(5);
            int slot = engine.slotContextSize();
            assertThatThrownBy(() -> engine.submit(prompt(3), sampled(1, 0f, slot), TokenSink.discard(), null))
                    .isInstanceOf(ContextOverflowException.class).hasMessageContaining("a slot holds " + slot);
        }
    }

    @Test
    void twoThousandRandomRequestsAllEndAndLeaveNothingBehind() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<Completion> all = new ArrayList<>();
        int refused = 0;
        try (LlamaEngine engine = LlamaEngine.start(model, params().withQueueCapacity(64))) {
            for (int i = 0; i < 2000; i++) {
                int[] p = new int[1 + random.nextInt(60)];
                for (int j = 0; j < p.length; j++) {
                    p[j] = 3 + random.nextInt(model.nVocab() - 3);
                }
                Duration deadline = random.nextInt(10) == 0 ? Duration.ofMillis(random.nextInt(50)) : null;
                try {
                    Completion c = engine.submit(p, sampled(i, random.nextBoolean() ? 0f : 1f, 1 + random.nextInt(16)),
                            TokenSink.discard(), deadline);
                    if (random.nextInt(8) == 0) {
                        c.cancel();
                    }
                    all.add(c);
                } catch (EngineBusyException e) {
                    refused++;
                    all.getLast().result(); // let the engine catch up, then go on
                }
            }
            int results = 0;
            for (Completion c : all) {
                try {
                    EngineResult r = c.result();
                    assertThat(r.finishReason()).isNotNull();
                    results++;
                } catch (HearthException e) {
                    results++; // a typed error is an ending too
                }
            }
            assertThat(results).isEqualTo(all.size());
            assertThat(all.size() + refused).isEqualTo(2000);
            EngineStats stats = engine.stats();
            assertThat(stats.busySlots()).isZero();
            assertThat(stats.queueDepth()).isZero();
            assertThat(stats.completed()).isEqualTo(all.size());
            assertThat(stats.kvCellsUsed()).isLessThanOrEqualTo((long) stats.slots() * engine.slotContextSize());
            // Hearth's accounting of each slot's cached tokens agrees with the positions llama.cpp holds
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
        }
    }

    @Test
    void chatsThroughTheEngineMatchChatsInAContextAndTheNextTurnStreams() throws Exception {
        String qwen = java.nio.file.Files.readString(ChatTemplatesTest.templates()
                .filter(p -> p.getFileName().toString().equals("Qwen-Qwen2.5-7B-Instruct.jinja")).findFirst().orElseThrow());
        ChatOptions options = ChatOptions.defaults().withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.REQUIRED)
                .withTemplateOverride(qwen)
                .withGeneration(GenerationParams.defaults().withMaxTokens(120).withSampling(SamplingParams.greedy()));
        ChatResult inContext;
        try (LlamaContext ctx = model.newContext(TestModels.context().withContextSize(4096))) {
            inContext = ctx.chat(ChatTemplatesTest.CONVERSATION, options, dev.hearth.api.ChatSink.discard());
        }
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(2))) {
            ChatResult viaEngine = engine.chat(ChatTemplatesTest.CONVERSATION, options, dev.hearth.api.ChatSink.discard(), null);
            assertThat(viaEngine.toolCalls()).isEqualTo(inContext.toolCalls()).isNotEmpty();
            assertThat(viaEngine.rawText()).isEqualTo(inContext.rawText());
            // the next turn, with the tool result, streams its content like a context would
            List<dev.hearth.api.ChatMessage> next = new ArrayList<>(ChatTemplatesTest.CONVERSATION);
            next.add(viaEngine.toMessage());
            next.add(dev.hearth.api.ChatMessage.tool(viaEngine.toolCalls().getFirst().id(), "{\"temp\": 20}"));
            StringBuilder streamed = new StringBuilder();
            ChatResult second = engine.chat(next, options.withTools(List.of(), ToolChoice.AUTO)
                    .withGeneration(GenerationParams.defaults().withMaxTokens(20)), streamed::append, null);
            assertThat(second.content()).isEqualTo(streamed.toString());
            assertThat(second.generation().promptTokens()).isGreaterThan(0);
        }
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
