package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.TokenSink;
import dev.hearth.testkit.WeightType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GenerationTest extends TinyModelTest {
    private static final String PROMPT = "Once upon a time there was a model";

    private static GenerationParams greedy(int maxTokens) {
        return GenerationParams.defaults().withSampling(SamplingParams.greedy()).withMaxTokens(maxTokens)
                .withIgnoreEog(true);
    }

    @Test
    void greedyGenerationIsIdenticalAcrossRunsAndContexts() {
        String first, second, third;
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            first = ctx.generate(PROMPT, greedy(40), TokenSink.discard()).text();
            second = ctx.generate(PROMPT, greedy(40), TokenSink.discard()).text();
        }
        try (LlamaContext other = model.newContext(TestModels.context().withBatchSize(16))) {
            third = other.generate(PROMPT, greedy(40), TokenSink.discard()).text();
        }
        assertThat(first).isNotEmpty().isEqualTo(second).isEqualTo(third);
    }

    @Test
    void theSameSeedGivesTheSameSampleAndOtherSeedsDiffer() {
        SamplingParams sampling = SamplingParams.defaults().withTemperature(1.5f).withTopK(0).withTopP(1f).withMinP(0f);
        Set<String> outputs = new HashSet<>();
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            for (long seed = 1; seed <= 4; seed++) {
                GenerationParams p = greedy(24).withSampling(sampling.withSeed(seed));
                String a = ctx.generate(PROMPT, p, TokenSink.discard()).text();
                String b = ctx.generate(PROMPT, p, TokenSink.discard()).text();
                assertThat(a).isEqualTo(b);
                outputs.add(a);
            }
        }
        assertThat(outputs).hasSizeGreaterThan(1);
    }

    @Test
    void maxTokensHolds() {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            GenerationResult r = ctx.generate(PROMPT, greedy(17), TokenSink.discard());
            assertThat(r.generatedTokens()).isEqualTo(17);
            assertThat(r.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
        }
    }

    @Test
    void stopSequenceEndsTheOutputBeforeIt() {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            String full = ctx.generate(PROMPT, greedy(60), TokenSink.discard()).text();
            String visible = full.strip();
            assertThat(visible.length()).isGreaterThan(12);
            String stop = visible.substring(visible.length() / 2, visible.length() / 2 + 3);
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = ctx.generate(PROMPT, greedy(60).withStopSequences(List.of(stop)), streamed::append);
            assertThat(r.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
            assertThat(r.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
            assertThat(streamed.toString()).isEqualTo(r.text()).doesNotContain(stop);
        }
    }

    @Test
    void cancellationFromAnotherThreadStopsWithinATokenOrTwo() throws Exception {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            AtomicInteger pieces = new AtomicInteger();
            AtomicReference<Integer> tokensAtCancel = new AtomicReference<>();
            int[] generatedSoFar = {0};
            GenerationResult r = ctx.generate(PROMPT, greedy(400), text -> {
                if (pieces.incrementAndGet() == 5) {
                    Thread canceller = new Thread(ctx::cancel, "canceller");
                    canceller.start();
                    try {
                        canceller.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    tokensAtCancel.set(pieces.get());
                }
                generatedSoFar[0]++;
            });
            assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(tokensAtCancel.get()).isNotNull();
            assertThat(r.generatedTokens()).isLessThan(20).isGreaterThanOrEqualTo(5);
            // the context is usable again after a cancelled generation
            assertThat(ctx.generate(PROMPT, greedy(5), TokenSink.discard()).generatedTokens()).isEqualTo(5);
        }
    }

    @Test
    void aContextUsedFromTwoThreadsAtOnceThrowsInsteadOfReachingNativeCode() throws Exception {
        try (LlamaContext ctx = model.newContext(TestModels.context());
             TokenStream stream = ctx.stream(PROMPT, greedy(10))) {
            AtomicReference<Throwable> fromOther = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    ctx.generate(PROMPT, greedy(3), TokenSink.discard());
                } catch (Throwable t) {
                    fromOther.set(t);
                }
            });
            other.start();
            other.join();
            assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by thread");
            assertThat(stream.iterator().hasNext()).isTrue(); // the owner goes on undisturbed
        }
    }

    @Test
    void streamingGivesTheSameTextAsGenerate() {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            String generated = ctx.generate(PROMPT, greedy(30), TokenSink.discard()).text();
            List<String> pieces = new ArrayList<>();
            GenerationResult result;
            try (TokenStream stream = ctx.stream(PROMPT, greedy(30))) {
                stream.forEach(pieces::add);
                result = stream.result();
            }
            assertThat(String.join("", pieces)).isEqualTo(generated).isEqualTo(result.text());
            assertThat(result.generatedTokens()).isEqualTo(30);
        }
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedWithTheNumbersAndNothingIsLost() {
        try (LlamaContext ctx = model.newContext(TestModels.context().withContextSize(256))) {
            String longPrompt = "the model ".repeat(200);
            assertThatThrownBy(() -> ctx.generate(longPrompt, greedy(5), TokenSink.discard()))
                    .isInstanceOf(ContextOverflowException.class)
                    .hasMessageContaining("the context holds " + ctx.contextSize());
            assertThat(ctx.generate(PROMPT, greedy(5), TokenSink.discard()).generatedTokens()).isEqualTo(5);
        }
    }

    @Test
    void generationStopsWhenTheContextIsFull() {
        try (LlamaContext ctx = model.newContext(TestModels.context().withContextSize(256))) {
            GenerationResult r = ctx.generate(PROMPT, greedy(5000), TokenSink.discard());
            assertThat(r.finishReason()).isEqualTo(FinishReason.CONTEXT_FULL);
            // every position holds a token; the last token is sampled but has no room to be stored
            assertThat(r.promptTokens() + r.generatedTokens()).isEqualTo(ctx.contextSize() + 1);
        }
    }

    @Test
    void logitBiasCanBanTheGreedyChoice() {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            int[] prompt = model.tokenize(PROMPT, true, false);
            int banned = ctx.generate(prompt, greedy(1), TokenSink.discard()).tokens()[0];
            SamplingParams biased = SamplingParams.greedy().withLogitBias(Map.of(banned, Float.NEGATIVE_INFINITY));
            int chosen = ctx.generate(prompt, greedy(1).withSampling(biased), TokenSink.discard()).tokens()[0];
            assertThat(chosen).isNotEqualTo(banned);
        }
    }

    @Test
    void invalidPromptTokensAreRejectedBeforeNativeCode() {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            assertThatThrownBy(() -> ctx.generate(new int[] {1, 99999}, greedy(3), TokenSink.discard()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999");
            assertThatThrownBy(() -> ctx.generate(new int[0], greedy(3), TokenSink.discard()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        }
    }

    @Test
    void chatTemplateRendersTheModelsChatMl() {
        String rendered = model.applyChatTemplate(List.of(ChatMessage.system("Be brief."),
                ChatMessage.user("Hi there"), ChatMessage.assistant("Hello."), ChatMessage.user("Bye")), true);
        assertThat(rendered).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n");
        assertThat(model.chatTemplateSource()).hasValueSatisfying(t -> assertThat(t).contains("<|im_start|>"));
        int[] tokens = model.tokenize(rendered, true, true);
        assertThat(tokens).contains(model.tokenize("<|im_start|>", false, true)[0]);
    }

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void everyWeightTypeLoadsAndGenerates(WeightType type) {
        try (LlamaModel typed = LlamaModel.load(TestModels.tiny(type), ModelParams.defaults());
             LlamaContext ctx = typed.newContext(TestModels.context())) {
            GenerationResult r = ctx.generate(PROMPT, greedy(8), TokenSink.discard());
            assertThat(r.generatedTokens()).isEqualTo(8);
            assertThat(typed.description()).contains("llama");
        }
    }

    @Test
    void closingTheModelClosesItsContextsAndLaterCallsFailCleanly() {
        LlamaModel own = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
        LlamaContext ctx = own.newContext(TestModels.context());
        assertThat(own.openContexts()).isEqualTo(1);
        own.close();
        assertThat(own.openContexts()).isZero();
        assertThatThrownBy(() -> ctx.generate(PROMPT, greedy(3), TokenSink.discard()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> own.tokenize("x", false, false)).isInstanceOf(IllegalStateException.class);
        own.close(); // idempotent
    }

    @Test
    void aProgressCallbackCanCancelTheLoad() {
        assertThatThrownBy(() -> LlamaModel.load(TestModels.tiny(),
                ModelParams.defaults().withProgress(fraction -> false)))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("cancelled");
    }
}
