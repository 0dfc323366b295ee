package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PromptLookupTest {
    private static int[] draft(int[] history, int min, int max, int n) {
        int[] out = new int[n];
        int count = PromptLookup.draft(history, history.length, min, max, n, out);
        return Arrays.copyOf(out, count);
    }

    @Test
    void draftsWhatFollowedTheLatestEarlierOccurrenceOfTheLastTokens() {
        // "5 6" occurs twice before the end: the later one (followed by 9 9) wins
        int[] history = {5, 6, 7, 8, 1, 5, 6, 9, 9, 3, 5, 6};
        assertThat(draft(history, 2, 2, 2)).containsExactly(9, 9);
    }

    @Test
    void triesTheLongestNgramFirst() {
        // the bigram "2 3" last occurred before 8; the trigram "1 2 3" before 7
        int[] history = {1, 2, 3, 7, 0, 2, 3, 8, 0, 1, 2, 3};
        assertThat(draft(history, 2, 3, 1)).containsExactly(7);
        assertThat(draft(history, 2, 2, 1)).containsExactly(8);
    }

    @Test
    void aContinuationThatReachesThePresentRepeatsWithItsPeriod() {
        int[] history = {4, 1, 2, 1, 2};
        assertThat(draft(history, 2, 2, 5)).containsExactly(1, 2, 1, 2, 1);
    }

    @Test
    void draftsNothingWithoutAMatchOrWithoutRoom() {
        assertThat(draft(new int[] {1, 2, 3, 4, 5}, 1, 3, 4)).isEmpty();
        assertThat(draft(new int[] {7}, 1, 3, 4)).isEmpty();
        assertThat(draft(new int[] {1, 2, 1, 2}, 2, 2, 0)).isEmpty();
    }
}
