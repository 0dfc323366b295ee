package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.GenerationParams;
import org.junit.jupiter.api.Test;

/** Which free slot a request takes: prefix reuse first, then busy slots kept in consecutive runs, then LRU. */
class SlotsTest {
    private static EngineJob job(int... prompt) {
        return new EngineJob(prompt, GenerationParams.defaults(), TokenSink.discard(), Long.MAX_VALUE);
    }

    private static void hold(Slots slots, int slot, int... tokens) {
        for (int t : tokens) {
            slots.append(slot, t);
        }
    }

    @Test
    void streamsArrivingTogetherTakeConsecutiveSlotsWhateverWasUsedLast() {
        Slots slots = new Slots(8);
        for (int s : new int[] {7, 0, 5, 2, 6, 1, 3, 4}) { // the order earlier requests left them in
            slots.assign(s, job(s));
            slots.free(s);
        }
        int[] taken = new int[4];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = slots.choose(new int[] {100 + i});
            slots.assign(taken[i], job(100 + i));
        }
        java.util.Arrays.sort(taken);
        assertThat(taken[3] - taken[0]).as("four slots in one run: " + java.util.Arrays.toString(taken)).isEqualTo(3);
        assertThat(taken[0]).as("the first took the least recently used").isEqualTo(7 - 3);
    }

    @Test
    void aCachedPrefixStillWinsOverKeepingRunsTogether() {
        Slots slots = new Slots(4);
        hold(slots, 3, 1, 2, 3, 4);
        slots.assign(0, job(9));
        assertThat(slots.choose(new int[] {1, 2, 3, 4, 5})).isEqualTo(3);
        assertThat(slots.choose(new int[] {8, 8})).as("no prefix anywhere: next to the busy slot").isEqualTo(1);
    }

    @Test
    void aFreeSlotBetweenTwoRunsIsTakenFirst() {
        Slots slots = new Slots(5);
        slots.assign(0, job(1));
        slots.assign(1, job(2));
        slots.assign(3, job(3));
        assertThat(slots.choose(new int[] {7})).as("slot 2 joins the two runs into one").isEqualTo(2);
    }
}
