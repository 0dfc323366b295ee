package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.DraftTokens;
import dev.hearth.api.SpeculationSetting;
import dev.hearth.host.ModelHost;
import dev.hearth.ledger.CallRecord;
import dev.hearth.router.FallbackChain;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculative decoding through the front door: a request's setting and a model's (hearth.toml's {@code speculation}
 * and {@code draft_model}) reach the engine, the answer is the one without drafts, and what was drafted and confirmed
 * comes back in the response and lands in the ledger. The models have successor weights (after token t the model
 * favours t + 1, by construction) and a template that renders the user's text alone, so a prompt holding a run of
 * token ids is continued along it: prompt lookup's drafts from the earlier run are confirmed.
 */
class SpeculativeDecodingSettingsTest {
    private static final String CONTENT_ONLY = "{% for message in messages %}{{ message['content'] }}{% endfor %}";
    private static final SyntheticModel SHAPE = SyntheticModel.tiny().withChatFormat(List.of(), CONTENT_ONLY);

    @TempDir
    Path dir;

    /**
     * The byte tokens 0x01..0x1F (consecutive ids: no piece of the synthetic vocabulary holds a control character),
     * then other text, then the run's first six again: the model goes on along the run.
     */
    private static ChatRequest runAgain(String model) {
        StringBuilder run = new StringBuilder();
        for (char c = 0x01; c <= 0x1F; c++) {
            run.append(c);
        }
        String text = run + " hello world, the model once upon a time " + run.substring(0, 6);
        return ChatRequest.of(model, List.of(ChatMessage.user(text))).withTemperature(0.0).withMaxTokens(20);
    }

    private Path config() throws Exception {
        Path target = dir.resolve("succ.gguf");
        SHAPE.writeSuccessor(target);
        Path cache = dir.resolve("models");
        Files.createDirectories(cache);
        // the same weights at a lower precision, in the model cache: named by its cache name
        SHAPE.withWeightType(WeightType.Q8_0).writeSuccessor(cache.resolve("succ-draft.gguf"));
        Path otherVocab = dir.resolve("other.gguf");
        new SyntheticModel("other-vocab", 64, 1, 4, 2, 128, 1100, 2048, WeightType.F32, false, 5).write(otherVocab);
        return Files.writeString(dir.resolve("hearth.toml"), """
                strategy = "local_only"

                [[model]]
                id = "drafted"
                provider = "local"
                local = true
                model = "%1$s"
                draft_model = "succ-draft"
                strengths = ["general", "quick_response"]

                [[model]]
                id = "plain"
                provider = "local"
                local = true
                model = "%1$s"
                speculation = "prompt-lookup:4"

                [[model]]
                id = "mismatched"
                provider = "local"
                local = true
                model = "%1$s"
                draft_model = "%2$s"
                """.formatted(target, otherVocab));
    }

    private Hearth hearth(Path config) {
        // no response cache: the same request asked again must run again (speculation leaves its answer the same)
        return Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", config.toString(), "HEARTH_CACHE",
                "off"));
    }

    private static SpeculationSetting setting(String text) {
        return SpeculationSetting.parse(text);
    }

    @Test
    void aPromptLookupRequestReturnsItsDraftCountsTheLedgerKeepsThemAndTheAnswerIsTheOneWithout() throws Exception {
        try (Hearth hearth = hearth(config())) {
            FallbackChain.Routed off = hearth.chat(runAgain("plain").withSpeculation(setting("off")));
            FallbackChain.Routed fast = hearth.chat(runAgain("plain").withSpeculation(setting("prompt-lookup")));
            FallbackChain.Routed byModel = hearth.chat(runAgain("plain")); // hearth.toml: prompt-lookup:4

            assertThat(fast.response().content()).isEqualTo(off.response().content());
            assertThat(fast.response().usage()).isEqualTo(off.response().usage());
            assertThat(off.response().drafts()).isEqualTo(DraftTokens.NONE);
            DraftTokens d = fast.response().drafts();
            assertThat(d.drafted()).as("drafted from the prompt's run").isPositive();
            assertThat(d.accepted()).as("confirmed along it").isPositive().isLessThanOrEqualTo(d.drafted());
            assertThat(byModel.response().content()).isEqualTo(off.response().content());
            assertThat(byModel.response().drafts().drafted()).as("the model's own setting").isPositive();

            hearth.flushCalls();
            CallRecord row = hearth.ledger().call(fast.callId()).orElseThrow();
            assertThat(row.draftedTokens()).isEqualTo(d.drafted());
            assertThat(row.acceptedDraftTokens()).isEqualTo(d.accepted());
            assertThat(hearth.ledger().call(off.callId()).orElseThrow().draftedTokens()).isZero();
        }
    }

    @Test
    void aDraftModelTheFileNamesIsLoadedBesideItsModelCountedInItsMemoryAndDraftsTheSameAnswer() throws Exception {
        try (Hearth hearth = hearth(config())) {
            FallbackChain.Routed off = hearth.chat(runAgain("drafted").withSpeculation(setting("off")));
            FallbackChain.Routed drafted = hearth.chat(runAgain("drafted")); // a draft model and no speculation
            FallbackChain.Routed asked = hearth.chat(runAgain("drafted").withSpeculation(setting("draft-model:6")));
            hearth.chat(runAgain("plain").withMaxTokens(1));

            assertThat(drafted.response().content()).isEqualTo(off.response().content());
            assertThat(asked.response().content()).isEqualTo(off.response().content());
            assertThat(drafted.response().drafts().accepted()).as("the draft model's guesses confirmed").isPositive();
            assertThat(asked.response().drafts().drafted()).isPositive();
            long withDraft = estimate(hearth, "drafted"), alone = estimate(hearth, "plain");
            assertThat(withDraft).as("the draft's weights and context on top").isGreaterThan(alone);
        }
    }

    private static long estimate(Hearth hearth, String id) throws InterruptedException {
        return hearth.host().loaded().stream().filter(m -> m.id().equals(id)).findFirst()
                .map(ModelHost.LoadedModel::placement).orElseThrow().estimate().total();
    }

    @Test
    void aDraftModelAskedOfAModelWithoutOneOrWithAnotherVocabularyIsRefusedSayingWhatToDo() throws Exception {
        try (Hearth hearth = hearth(config())) {
            assertThatThrownBy(() -> hearth.chat(runAgain("plain").withSpeculation(setting("draft-model"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("draft_model in the model's [[model]] in hearth.toml");
            assertThatThrownBy(() -> hearth.chat(runAgain("mismatched")))
                    .hasStackTraceContaining("the draft model other.gguf has 1100 tokens and succ.gguf has 1024")
                    .hasStackTraceContaining("must share its target's vocabulary");
        }
    }

    @Test
    void aSpeculationSettingTheFileGetsWrongFailsAtStartWithTheChoices() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.toml"), """
                strategy = "local_only"

                [[model]]
                id = "plain"
                provider = "local"
                local = true
                model = "%s"
                speculation = "fast"
                """.formatted(dir.resolve("succ.gguf")));
        assertThatThrownBy(() -> hearth(file).close()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown speculation \"fast\"").hasMessageContaining("prompt-lookup:N");
    }
}
