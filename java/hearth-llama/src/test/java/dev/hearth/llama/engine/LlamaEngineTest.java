package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.TokenSink;
import dev.hearth.api.ToolChoice;
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

    /**
     * A batch computes each sequence with the same weights and its own KV cells, but not always with the same
     * kernels: ggml picks matrix-multiply kernels by batch shape (on AVX2, llamafile's tiled sgemm for several columns,
     * a dot product per row for one), so a batched step's float sums are not bit-identical to a lone one's. Measured on
     * this suite's tiny model (haswell variant, 1 thread): 2 of 80 sampled requests over 5 seeds drew another token
     * than alone (the probabilities moved across the sampler's draw), 0 of 640 greedy ones over 40 seeds diverged; on
     * the x64 and sandybridge variants none did; a batched run repeated gave the same tokens, and a lone run in a fresh
     * engine the same as one with a warm prefix cache. So it is float order, not scheduling, and the property is: a
     * batched greedy request follows its lone run token for token, except where the lone run's two best tokens are tied
     * to rounding; a scheduling bug (another sequence's logits, a wrong position, a stale cell) breaks that at once.
     */
    @Test
    void concurrentRequestsFollowTheirLoneRunUntilRoundingCanTipAToken() throws Exception {
        int n = 16;
        List<int[]> alone = new ArrayList<>(), together = new ArrayList<>();
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            for (int i = 0; i < n; i++) {
                alone.add(engine.submit(prompt(i), sampled(0, 0f, 20), TokenSink.discard(), null).result().tokens());
            }
            List<Completion> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(engine.submit(prompt(i), sampled(0, 0f, 20), TokenSink.discard(), null));
            }
            for (Completion c : batch) {
                together.add(c.future().get(60, TimeUnit.SECONDS).tokens());
            }
            assertThat(engine.stats().busySlots()).isZero();
        }
        int identical = 0;
        try (LlamaContext reference = model.newContext(TestModels.context().withContextSize(1024))) {
            for (int i = 0; i < n; i++) {
                int[] a = alone.get(i), b = together.get(i);
                assertThat(b).as("request %d", i).hasSameSizeAs(a);
                int k = Arrays.mismatch(a, b);
                if (k < 0) {
                    identical++;
                    continue;
                }
                float[] logits = dev.hearth.llama.TestLogits.after(reference, concat(prompt(i), Arrays.copyOf(a, k)));
                float best = Float.NEGATIVE_INFINITY;
                for (float l : logits) {
                    best = Math.max(best, l);
                }
                float tolerance = 1e-3f * Math.max(1f, Math.abs(best));
                assertThat(best - logits[b[k]]).as("request %d diverges at token %d: the batch's token %d must be tied"
                        + " with the best (%d) to rounding", i, k, b[k], a[k]).isLessThanOrEqualTo(tolerance);
                assertThat(best - logits[a[k]]).isLessThanOrEqualTo(tolerance);
            }
        }
        System.out.printf("%d of %d batched greedy requests identical to their lone run%n", identical, n);
        assertThat(identical).as("most requests are unaffected by rounding").isGreaterThan(n / 2);
    }

    @Test
    void aSeededSampledRequestGivesTheSameTokensInAnyEngine() throws Exception {
        List<int[]> first = new ArrayList<>();
        try (LlamaEngine engine = LlamaEngine.start(model, params())) {
            for (int i = 0; i < 8; i++) {
                first.add(engine.submit(prompt(i), sampled(100 + i, 0.9f, 20), TokenSink.discard(), null).result()
                        .tokens());
            }
        }
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(2))) {
            for (int i = 7; i >= 0; i--) { // another order, another slot layout, a cold prefix cache
                assertThat(engine.submit(prompt(i), sampled(100 + i, 0.9f, 20), TokenSink.discard(), null).result()
                        .tokens()).as("request %d", i).containsExactly(first.get(i));
            }
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

    /** One request of the random workload and what was done to it. */
    private record Sent(Completion completion, int maxTokens, boolean cancelled, boolean hasDeadline) {
    }

    @Test
    void twoThousandRandomRequestsAllEndAsTheyShouldAndLeaveNothingBehind() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<Sent> all = new ArrayList<>();
        int refused = 0;
        try (LlamaEngine engine = LlamaEngine.start(model, params().withQueueCapacity(64))) {
            for (int i = 0; i < 2000; i++) {
                int[] p = new int[1 + random.nextInt(60)];
                for (int j = 0; j < p.length; j++) {
                    p[j] = 3 + random.nextInt(model.nVocab() - 3);
                }
                Duration deadline = random.nextInt(10) == 0 ? Duration.ofMillis(random.nextInt(50)) : null;
                int maxTokens = 1 + random.nextInt(16);
                try {
                    Completion c = engine.submit(p, sampled(i, random.nextBoolean() ? 0f : 1f, maxTokens),
                            TokenSink.discard(), deadline);
                    boolean cancel = random.nextInt(8) == 0;
                    if (cancel) {
                        c.cancel();
                    }
                    all.add(new Sent(c, maxTokens, cancel, deadline != null));
                } catch (EngineBusyException e) {
                    refused++;
                    all.getLast().completion().future().get(60, TimeUnit.SECONDS); // let the engine catch up
                }
            }
            java.util.Map<FinishReason, Integer> endings = new java.util.EnumMap<>(FinishReason.class);
            for (Sent sent : all) {
                // EOG is ignored and every prompt fits its slot: a request ends at its token limit unless it was
                // cancelled or ran out of time first, and nothing ends with an error
                EngineResult r = sent.completion().future().get(60, TimeUnit.SECONDS);
                java.util.Set<FinishReason> allowed = java.util.EnumSet.of(FinishReason.MAX_TOKENS);
                if (sent.cancelled()) {
                    allowed.add(FinishReason.CANCELLED);
                }
                if (sent.hasDeadline()) {
                    allowed.add(FinishReason.DEADLINE);
                }
                assertThat(r.finishReason()).as("%s", sent).isIn(allowed);
                if (r.finishReason() == FinishReason.MAX_TOKENS) {
                    assertThat(r.tokens()).hasSize(sent.maxTokens());
                } else {
                    assertThat(r.tokens().length).isLessThanOrEqualTo(sent.maxTokens());
                }
                endings.merge(r.finishReason(), 1, Integer::sum);
            }
            assertThat(all.size() + refused).isEqualTo(2000);
            assertThat(endings.get(FinishReason.MAX_TOKENS)).as("%s", endings).isGreaterThan(all.size() / 2);
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
                // headroom: the grammar bounds the call, but lets the model put up to 20 blanks between its tokens
                .withGeneration(GenerationParams.defaults().withMaxTokens(600).withSampling(SamplingParams.greedy()));
        ChatResult inContext;
        try (LlamaContext ctx = model.newContext(TestModels.context().withContextSize(4096))) {
            inContext = ctx.chat(ChatTemplatesTest.CONVERSATION, options, dev.hearth.api.ChatSink.discard());
        }
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(2))) {
            ChatResult viaEngine = engine.chat(ChatTemplatesTest.CONVERSATION, options, dev.hearth.api.ChatSink.discard(), null);
            assertThat(inContext.generation().finishReason()).as(inContext.rawText())
                    .isNotEqualTo(FinishReason.MAX_TOKENS);
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

    @Test
    void theEngineReportsTheConversationsItsSlotsHoldAndThePromptTokensItReused() throws Exception {
        String qwen = java.nio.file.Files.readString(ChatTemplatesTest.templates()
                .filter(p -> p.getFileName().toString().equals("Qwen-Qwen2.5-7B-Instruct.jinja")).findFirst().orElseThrow());
        ChatOptions options = ChatOptions.defaults().withTemplateOverride(qwen)
                .withGeneration(GenerationParams.defaults().withMaxTokens(4).withSampling(SamplingParams.greedy()));
        List<dev.hearth.api.ChatMessage> talk = new ArrayList<>(List.of(dev.hearth.api.ChatMessage.system("Be brief."),
                dev.hearth.api.ChatMessage.user("Name a river that runs through three countries.")));
        List<dev.hearth.api.ChatMessage> other = List.of(dev.hearth.api.ChatMessage.user("Name a lake."));
        try (LlamaEngine engine = LlamaEngine.start(model, params().withParallel(2))) {
            assertThat(engine.prefixes()).isEqualTo(dev.hearth.api.spi.PrefixReport.NONE);
            ChatResult first = engine.chat(talk, options, dev.hearth.api.ChatSink.discard(), null);
            assertThat(engine.prefixes().conversations()).containsExactly(dev.hearth.api.ConversationKey.of(talk));
            long reusedBefore = engine.prefixes().reusedPromptTokens();
            talk.add(first.toMessage());
            talk.add(dev.hearth.api.ChatMessage.user("And a mountain?"));
            engine.chat(talk, options, dev.hearth.api.ChatSink.discard(), null);
            // the second turn's slot held the first turn's prompt: at least that much was not evaluated again
            assertThat(engine.prefixes().reusedPromptTokens() - reusedBefore)
                    .isGreaterThanOrEqualTo(first.generation().promptTokens() - 1);
            assertThat(engine.prefixes().conversations()).containsExactly(dev.hearth.api.ConversationKey.of(talk));
            engine.chat(other, options, dev.hearth.api.ChatSink.discard(), null);
            assertThat(engine.prefixes().conversations()).contains(dev.hearth.api.ConversationKey.of(other));
            assertThat(engine.stats().promptTokens()).isEqualTo(engine.prefixes().promptTokens()).isPositive();
        }
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
