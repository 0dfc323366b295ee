package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.Speculation;
import dev.hearth.llama.TestModels;
import dev.hearth.testkit.SyntheticModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speculative decoding gives the tokens one-token steps give. Most tests run on the tiny shape written with
 * successor weights (after token t the model favours t + 1, by construction), so prompt lookup's drafts are both
 * confirmed (while the prompt's run goes on) and refused (where the prompt's run jumps and the model does not).
 */
class SpeculativeDecodingTest {
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestModels.successor(SyntheticModel.tiny()), ModelParams.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static EngineParams engine() {
        return EngineParams.defaults().withParallel(2).withContextSize(2048).withBatchSize(128).withPrefillChunk(64)
                .withThreads(1);
    }

    /** BOS, a run 400..459, a jump to 700..719, then 400..404 again: the model goes on 405, 406... past 459. */
    private static int[] runPrompt() {
        IntStream s = IntStream.concat(IntStream.of(model.tokenBos()), IntStream.range(400, 460));
        s = IntStream.concat(s, IntStream.range(700, 720));
        return IntStream.concat(s, IntStream.range(400, 405)).toArray();
    }

    private static GenerationParams params(Speculation speculation, int maxTokens) {
        return GenerationParams.defaults().withMaxTokens(maxTokens).withSampling(SamplingParams.greedy())
                .withIgnoreEog(true).withSpeculation(speculation);
    }

    private static EngineResult run(LlamaEngine engine, int[] prompt, GenerationParams params) throws Exception {
        return engine.submit(prompt, params, TokenSink.discard(), null).future().get(60, TimeUnit.SECONDS);
    }

    @Test
    void greedyOutputIsTheSameWithPromptLookupWhetherDraftsAreConfirmedOrRefused() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            EngineResult plain = run(engine, runPrompt(), params(Speculation.off(), 90));
            EngineResult fast = run(engine, runPrompt(), params(Speculation.promptLookup(8), 90));
            assertThat(fast.tokens()).containsExactly(plain.tokens());
            assertThat(fast.text()).isEqualTo(plain.text());
            assertThat(plain.stats().draftedTokens()).isZero();
            RequestStats s = fast.stats();
            assertThat(s.acceptedDraftTokens()).as("drafts confirmed along the prompt's run").isPositive();
            assertThat(s.acceptedDraftTokens()).as("drafts refused past the run").isLessThan(s.draftedTokens());
            assertThat(s.generatedTokens()).isEqualTo(90);
            assertThat(engine.stats().draftedTokens()).isEqualTo(s.draftedTokens());
            assertThat(engine.stats().acceptedDraftTokens()).isEqualTo(s.acceptedDraftTokens());
            // the slot's cache holds what was read, and llama.cpp agrees: refused drafts left no cells behind
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
        }
    }

    /**
     * On random weights, where the model's picks are far from certain and drafts from 1-grams are mostly refused:
     * verification reads logits from batches of several tokens of one sequence, which ggml may sum in another order
     * than a one-token step (see LlamaEngineTest), so this is where rounding would show.
     */
    @Test
    void greedyOutputOnRandomWeightsIsTheSameWithDrafts() throws Exception {
        int drafted = 0;
        try (LlamaModel random = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
             LlamaEngine engine = LlamaEngine.start(random, engine())) {
            for (int i = 0; i < 6; i++) {
                int[] prompt = random.tokenize(" the model number " + i + " once upon a time, the model", true, false);
                EngineResult plain = run(engine, prompt, params(Speculation.off(), 48));
                EngineResult fast = run(engine, prompt, params(new Speculation(Speculation.Mode.PROMPT_LOOKUP, 8, 1,
                        3), 48));
                assertThat(fast.tokens()).as("prompt %d", i).containsExactly(plain.tokens());
                drafted += fast.stats().draftedTokens();
            }
        }
        assertThat(drafted).isPositive();
    }

    @Test
    void seededSampledOutputIsTheSameWithDrafts() throws Exception {
        // no top-k/top-p/min-p: the draw ranges over the vocabulary, so picks differ from the drafts now and then
        SamplingParams wide = SamplingParams.defaults().withTopK(0).withTopP(1f).withMinP(0f).withTemperature(1f);
        int accepted = 0, drafted = 0;
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            for (long seed = 1; seed <= 4; seed++) {
                GenerationParams p = params(Speculation.off(), 40).withSampling(wide.withSeed(seed));
                EngineResult plain = run(engine, runPrompt(), p);
                EngineResult fast = run(engine, runPrompt(), p.withSpeculation(Speculation.promptLookup(6)));
                assertThat(fast.tokens()).as("seed %d", seed).containsExactly(plain.tokens());
                accepted += fast.stats().acceptedDraftTokens();
                drafted += fast.stats().draftedTokens();
            }
        }
        assertThat(accepted).isPositive().isLessThan(drafted);
    }

    @Test
    void aStopSequenceInsideAnAcceptedDraftEndsTheOutputWhereOneTokenStepsEndIt() throws Exception {
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            EngineResult whole = run(engine, runPrompt(), params(Speculation.off(), 40));
            String text = whole.text();
            int at = text.length() / 2;
            while (text.indexOf(text.substring(at, at + 3)) != at) {
                at++; // the first place whose 3 characters occur nowhere before
            }
            List<String> stop = List.of(text.substring(at, at + 3));
            EngineResult plain = run(engine, runPrompt(), params(Speculation.off(), 40).withStopSequences(stop));
            EngineResult fast = run(engine, runPrompt(), params(Speculation.promptLookup(16), 40)
                    .withStopSequences(stop));
            assertThat(plain.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
            assertThat(plain.text()).isEqualTo(text.substring(0, at));
            assertThat(fast.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
            assertThat(fast.text()).isEqualTo(plain.text());
            assertThat(fast.tokens()).containsExactly(plain.tokens());
            assertThat(fast.stats().acceptedDraftTokens()).isPositive();
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
        }
    }

    @Test
    void aJsonSchemaAnswerIsTheSameWithDrafts() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"enum\":"
                + "[\"alpha\",\"beta\"]},\"maxItems\":6}},\"required\":[\"tags\"]}";
        int[] prompt = model.tokenize("{\"tags\":[\"alpha\",\"beta\",\"alpha\",\"alpha\"]} {\"tags\":[\"beta\","
                + "\"alpha\"]}", true, false);
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            GenerationParams p = params(Speculation.off(), 80).withJsonSchema(schema).withIgnoreEog(false);
            EngineResult plain = run(engine, prompt, p);
            EngineResult fast = run(engine, prompt, p.withSpeculation(new Speculation(Speculation.Mode.PROMPT_LOOKUP,
                    8, 1, 4)));
            assertThat(fast.text()).isEqualTo(plain.text()).startsWith("{");
            assertThat(fast.tokens()).containsExactly(plain.tokens());
            assertThat(fast.stats().draftedTokens()).as("the answer's punctuation occurs in the prompt").isPositive();
        }
    }

    @Test
    void requestsSharingABatchEachDraftAndVerifyAndGetTheirLoneOutput() throws Exception {
        int[] other = IntStream.concat(IntStream.of(model.tokenBos()), IntStream.range(800, 840)).toArray();
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            int[] aloneA = run(engine, runPrompt(), params(Speculation.off(), 60)).tokens();
            int[] aloneB = run(engine, other, params(Speculation.off(), 60)).tokens();
            List<Completion> together = new ArrayList<>();
            together.add(engine.submit(runPrompt(), params(Speculation.promptLookup(8), 60), TokenSink.discard(), null));
            together.add(engine.submit(other, params(Speculation.promptLookup(8), 60), TokenSink.discard(), null));
            EngineResult a = together.get(0).future().get(60, TimeUnit.SECONDS);
            EngineResult b = together.get(1).future().get(60, TimeUnit.SECONDS);
            assertThat(a.tokens()).containsExactly(aloneA);
            assertThat(b.tokens()).containsExactly(aloneB);
            assertThat(a.stats().acceptedDraftTokens()).isPositive();
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
        }
    }

    @Test
    void aCancelledSpeculativeRequestEndsCancelledAndLeavesTheCacheConsistent() throws Exception {
        CountDownLatch firstText = new CountDownLatch(1);
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            Completion c = engine.submit(runPrompt(), params(Speculation.promptLookup(8), 900),
                    text -> firstText.countDown(), null);
            assertThat(firstText.await(30, TimeUnit.SECONDS)).isTrue();
            c.cancel();
            EngineResult r = c.future().get(60, TimeUnit.SECONDS);
            assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(r.stats().generatedTokens()).isLessThan(900);
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
            // the slot's cache, reused as a prefix, gives the same answer as a fresh run
            assertThat(run(engine, runPrompt(), params(Speculation.promptLookup(8), 30)).tokens())
                    .containsExactly(run(engine, runPrompt(), params(Speculation.off(), 30)).tokens());
        }
    }

    @Test
    void aDraftModelWithTheSameWeightsAtALowerPrecisionDraftsAndTheOutputStaysTheSame() throws Exception {
        SyntheticModel shape = SyntheticModel.tiny().withWeightType(dev.hearth.testkit.WeightType.Q8_0);
        try (LlamaModel draft = LlamaModel.load(TestModels.successor(shape), ModelParams.defaults());
             LlamaEngine engine = LlamaEngine.start(model, engine(), draft)) {
            int[] prompt = IntStream.concat(IntStream.of(model.tokenBos()), IntStream.range(300, 310)).toArray();
            EngineResult plain = run(engine, prompt, params(Speculation.off(), 60));
            EngineResult fast = run(engine, prompt, params(Speculation.draftModel(6), 60));
            assertThat(fast.tokens()).containsExactly(plain.tokens());
            // the prompt holds no run to look up past 310: what was accepted there came from the draft model
            assertThat(fast.stats().acceptedDraftTokens()).isGreaterThan(40);
            assertThat(engine.nativeKvPositions()).containsExactly(engine.accountedKvCells());
        }
    }

    @Test
    void aDraftModelIsRefusedWhenItsVocabularyDiffersAndAskedForWhereThereIsNone() {
        SyntheticModel other = new SyntheticModel("other-vocab", 64, 1, 4, 2, 128, 1100, 2048,
                dev.hearth.testkit.WeightType.F32, false, 5);
        try (LlamaModel draft = LlamaModel.load(TestModels.of(other), ModelParams.defaults())) {
            assertThatThrownBy(() -> LlamaEngine.start(model, engine(), draft))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must share its target's vocabulary");
        }
        try (LlamaEngine engine = LlamaEngine.start(model, engine())) {
            assertThatThrownBy(() -> engine.submit(runPrompt(), params(Speculation.draftModel(4), 8),
                    TokenSink.discard(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has none; give it one (draft_model in the model's [[model]] in"
                            + " hearth.toml").hasMessageContaining("or ask for auto or prompt-lookup");
        }
    }

    @Test
    void aBadSpeculationSettingSaysWhatIsAccepted() {
        assertThat(Speculation.parse("prompt-lookup:12").maxDraft()).isEqualTo(12);
        assertThat(Speculation.parse("OFF").isOff()).isTrue();
        assertThatThrownBy(() -> Speculation.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use off, auto, prompt-lookup, prompt-lookup:N, draft-model or draft-model:N");
        assertThat(Speculation.parse("draft-model:5")).isEqualTo(Speculation.draftModel(5));
        assertThatThrownBy(() -> Speculation.promptLookup(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDraft from 1 to 32");
    }
}
