package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.llama.Speculation;
import org.junit.jupiter.api.Test;

/**
 * When a request drafts: AUTO only while it is the only one generating, and only as many tokens as pay by what
 * verifying them costs; an explicit prompt lookup always.
 */
class DrafterTest {
    // "1 2 3" recurs: prompt lookup has a continuation to offer
    private static final int[] PROMPT = {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3};
    private static final long MS = 1_000_000;

    /** Steps of one sequence verifying d drafts cost {@code plain + perDraft * d} ms. */
    private static StepCosts costs(long plain, long perDraft) {
        StepCosts costs = new StepCosts(() -> 0);
        for (int d = 0; d <= 8; d++) {
            costs.record(1, 1 + d, (plain + perDraft * d) * MS);
        }
        return costs;
    }

    @Test
    void autoDraftsOnlyWhenItsRequestIsTheOnlyOneGenerating() {
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        StepCosts cheap = costs(20, 1);
        assertThat(auto.draft(8, false, cheap)).as("with others generating").isEmpty();
        assertThat(auto.draft(8, true, cheap)).as("alone").isNotEmpty().startsWith(4, 5);
    }

    @Test
    void anExplicitPromptLookupDraftsInABatchAndWhateverItCosts() {
        Drafter asked = new Drafter(Speculation.promptLookup(8), PROMPT, 0, null);
        assertThat(asked.draft(8, false, costs(20, 40))).isNotEmpty().startsWith(4, 5);
    }

    @Test
    void autoDraftsTheLengthWithTheMostTokensPerCost() {
        // no evidence yet: each draft kept with chance 1/2; d drafts give 2 - 1/2^d tokens for (20 + d) / 20 steps:
        // 1.43, 1.59, 1.63, 1.61 tokens per step for d = 1..4
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        assertThat(auto.worthwhile(8, costs(20, 1))).isEqualTo(3);
        assertThat(auto.draft(8, true, costs(20, 1))).containsExactly(4, 5, 1);
    }

    @Test
    void autoDraftsLongerOnceItsDraftsAreKept() {
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        StepCosts costs = costs(20, 5);
        int before = auto.worthwhile(8, costs);
        for (int i = 0; i < 10; i++) {
            int[] d = auto.draft(8, true, costs);
            auto.verified(d.length); // every draft the target's own pick
        }
        assertThat(auto.worthwhile(8, costs)).isGreaterThan(before).isEqualTo(8);
        assertThat(auto.accepted()).isEqualTo(auto.drafted()).isPositive();
    }

    @Test
    void autoDoesNotDraftWhereVerifyingCostsMoreThanItKeeps() {
        // a step verifying d drafts costs (1 + d/2) plain steps; with no evidence no length pays
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        assertThat(auto.worthwhile(8, costs(20, 10))).as("1.5 tokens for 1.5 steps does not beat a plain step").isZero();
        assertThat(auto.draft(8, true, costs(20, 10))).isEmpty();
    }

    @Test
    void autoLearnsFromTheTokensThatFollowWhatItWouldHaveDrafted() {
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        StepCosts dear = costs(20, 10);
        assertThat(auto.draft(8, true, dear)).as("not worth drafting yet").isEmpty();
        for (int token : new int[] {4, 5, 1, 2, 3, 4, 5, 1}) { // what it would have guessed, token for token
            auto.seen(token);
        }
        assertThat(auto.worthwhile(8, dear)).as("its guess was kept: now drafting pays").isPositive();
        assertThat(auto.draft(8, true, dear)).isNotEmpty().startsWith(2, 3);
        assertThat(auto.drafted()).as("guesses are not drafts").isZero();
    }

    @Test
    void autoStopsDraftingWhenItsDraftsAreRefusedAndStaysStoppedWhileItsGuessesMiss() {
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        StepCosts cheap = costs(20, 5); // a draft costs a quarter of a step: it pays while a fifth are kept
        int refusals = 0;
        while (auto.draft(8, true, cheap).length > 0) {
            auto.verified(0); // the target picked something else
            refusals++;
            assertThat(refusals).as("drafts refused before AUTO stops").isLessThan(10);
        }
        assertThat(auto.worthwhile(8, cheap)).isZero();
        auto.seen(9); // its guess was 4
        assertThat(auto.draft(8, true, cheap)).as("the guess missed: still not worth it").isEmpty();
        assertThat(auto.accepted()).isZero();
        assertThat(auto.drafted()).isPositive();
    }

    @Test
    void autoDoesNotDraftBeforeAPlainStepHasBeenMeasured() {
        StepCosts none = new StepCosts(() -> 0);
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        assertThat(auto.worthwhile(8, none)).isZero();
        assertThat(auto.draft(8, true, none)).isEmpty();
    }

    @Test
    void aLengthNotMeasuredYetIsTriedSoItGetsMeasured() {
        StepCosts onlyPlain = new StepCosts(() -> 0);
        onlyPlain.record(1, 1, 20 * MS);
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        assertThat(auto.worthwhile(8, onlyPlain)).isPositive();
    }
}
