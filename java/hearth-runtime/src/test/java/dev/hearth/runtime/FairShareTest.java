package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns at a saturated local model go round-robin across callers, so a caller that floods it starves no one. */
class FairShareTest {
    private final List<String> admitted = Collections.synchronizedList(new ArrayList<>());

    private Thread takeTurn(FairShare share, String caller) {
        return Thread.ofVirtual().start(() -> {
            try (FairShare.Turn turn = share.enter("m", caller)) {
                // the turn: nothing to run here, the admission order is what is tested
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void awaitWaiting(FairShare share, int n) throws InterruptedException {
        while (share.waiting("m") != n) {
            Thread.sleep(1);
        }
    }

    @Test
    void aCallerWaitingBehindAFloodGoesNextAndTheFloodKeepsItsOrder() throws Exception {
        FairShare share = new FairShare(m -> 1, 64, (model, caller) -> admitted.add(caller));
        FairShare.Turn first = share.enter("m", "key:flood");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.add(takeTurn(share, "key:flood"));
            awaitWaiting(share, i + 1);
        }
        threads.add(takeTurn(share, "key:quiet"));
        awaitWaiting(share, 6);
        first.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted).containsExactly("key:flood", "key:quiet", "key:flood", "key:flood", "key:flood",
                "key:flood", "key:flood");
        assertThat(share.waiting("m")).isZero();
    }

    @Test
    void twoFloodingCallersAlternate() throws Exception {
        FairShare share = new FairShare(m -> 1, 64, (model, caller) -> admitted.add(caller));
        FairShare.Turn first = share.enter("m", "a");
        List<Thread> threads = new ArrayList<>();
        int n = 0;
        for (String caller : List.of("a", "a", "a", "b", "b", "b")) {
            threads.add(takeTurn(share, caller));
            awaitWaiting(share, ++n);
        }
        first.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted).containsExactly("a", "b", "a", "b", "a", "b", "a");
    }

    @Test
    void freeSlotsAdmitAtOnceAndAFullQueueRefusesWithWhatToDo() throws Exception {
        FairShare share = new FairShare(m -> 2, 1, (model, caller) -> admitted.add(caller));
        FairShare.Turn one = share.enter("m", "a");
        FairShare.Turn two = share.enter("m", "b");
        Thread waiter = takeTurn(share, "a");
        awaitWaiting(share, 1);
        assertThatThrownBy(() -> share.enter("m", "c")).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("1 requests are already waiting for m").hasMessageContaining("try again");
        one.close();
        waiter.join();
        two.close();
        assertThat(admitted).containsExactly("a", "b", "a");
    }

    @Test
    void aWaiterThatIsInterruptedLeavesTheQueueAndTheTurnPassesOn() throws Exception {
        FairShare share = new FairShare(m -> 1, 64, (model, caller) -> admitted.add(caller));
        FairShare.Turn held = share.enter("m", "a");
        Thread gone = takeTurn(share, "b");
        awaitWaiting(share, 1);
        Thread next = takeTurn(share, "c");
        awaitWaiting(share, 2);
        gone.interrupt();
        gone.join();
        assertThat(share.waiting("m")).isEqualTo(1);
        held.close();
        next.join();
        assertThat(admitted).containsExactly("a", "c");
        // the slot is free again: a new caller is admitted at once
        share.enter("m", "d").close();
        assertThat(admitted).endsWith("d");
    }
}
