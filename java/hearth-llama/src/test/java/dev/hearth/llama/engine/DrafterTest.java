package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.llama.Speculation;
import org.junit.jupiter.api.Test;

/** When a request drafts: AUTO only while its step decodes it alone; an explicit prompt lookup always. */
class DrafterTest {
    // "1 2 3" recurs: prompt lookup has a continuation to offer
    private static final int[] PROMPT = {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3};

    @Test
    void autoDraftsOnlyWhenTheStepDecodesItsRequestAlone() {
        Drafter auto = new Drafter(Speculation.auto(), PROMPT, 0, null);
        assertThat(auto.draft(8, false)).as("in a batch of several").isEmpty();
        assertThat(auto.draft(8, true)).as("alone").isNotEmpty().startsWith(4, 5);
    }

    @Test
    void anExplicitPromptLookupDraftsInABatchToo() {
        Drafter asked = new Drafter(Speculation.promptLookup(8), PROMPT, 0, null);
        assertThat(asked.draft(8, false)).isNotEmpty().startsWith(4, 5);
    }
}
