package dev.hearth.llama.engine;

import dev.hearth.llama.Speculation;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * One request's drafting: the tokens it has seen (prompt, then output), how long a draft the last verifications
 * earned, and its counts. AUTO drafts only where it pays: it estimates the chance that a drafted token is kept (each
 * in turn, given the ones before it were) and drafts the length with the most expected tokens per unit of step cost,
 * from what steps verifying that many drafts cost on this machine ({@link StepCosts}); none when no length beats a
 * plain step. While it does not draft it still guesses, and learns from the tokens that follow whether the guess
 * would have been kept: the estimate stays current at no cost. Found needed on the 2-core bench machine, where a step
 * verifying 8 drafts cost 4.5 plain steps: AUTO drafting on text it seldom guessed made one stream slower than the C
 * loop. Owned by the scheduler loop; not thread-safe.
 */
final class Drafter {
    /** How fast AUTO forgets old guesses: each one's weight in the estimate after the next. */
    static final double DECAY = 0.9;
    private static final int[] NONE = new int[0];

    private final Speculation speculation;
    private final int slot;
    private final DraftModel draftModel; // null unless the request drafts with it
    private int[] history;
    private int length;
    private int limit;            // explicit modes: the draft length the recent verifications earned
    private int[] current = NONE;
    private boolean failed;       // the draft model failed: no more drafts
    private int[] guess = NONE;   // AUTO, not drafting: what it would have drafted, checked against what follows
    private int guessKept;
    private double kept, refused; // AUTO: decayed counts of guessed tokens kept and of guesses that missed one
    private int drafted, accepted, steps;

    Drafter(Speculation speculation, int[] prompt, int slot, DraftModel draftModel) {
        this.speculation = speculation;
        this.slot = slot;
        this.draftModel = draftModel;
        this.history = Arrays.copyOf(prompt, Math.max(64, prompt.length * 2));
        this.length = prompt.length;
        this.limit = Math.max(1, speculation.maxDraft() / 2);
    }

    /** Records an output token (every sampled one, in order). */
    void seen(int token) {
        if (length == history.length) {
            history = Arrays.copyOf(history, length * 2);
        }
        history[length++] = token;
        if (guess.length > 0) {
            boolean hit = token == guess[guessKept];
            guessKept += hit ? 1 : 0;
            if (!hit || guessKept == guess.length) {
                learn(guessKept, guess.length);
                guess = NONE;
            }
        }
    }

    /**
     * Drafts up to {@code room} tokens to follow the history (whose last token is the one about to be decoded), or
     * none; what it returns stays {@link #current()} until the next call. {@code alone}: this request is the only one
     * generating in its engine (not merely the only one its step decodes: streams that take turns each get steps of
     * their own). AUTO drafts only then, and only as many as pay by {@code costs}: in a batch of several, drafts
     * that are refused make every stream in it wait.
     */
    int[] draft(int room, boolean alone, StepCosts costs) {
        current = NONE;
        if (failed || room <= 0) {
            return current;
        }
        if (speculation.mode() != Speculation.Mode.AUTO) {
            current = draftModel == null ? lookup(Math.min(limit, room)) : fromModel(Math.min(limit, room));
            return current;
        }
        int worth = alone ? worthwhile(Math.min(speculation.maxDraft(), room), costs) : 0;
        if (worth == 0) {
            if (guess.length == 0) {
                guess = lookup(speculation.maxDraft());
                guessKept = 0;
            }
            return current;
        }
        guess = NONE; // the draft's verification teaches the same
        current = lookup(worth);
        return current;
    }

    private int[] lookup(int max) {
        int[] out = new int[max];
        int n = PromptLookup.draft(history, length, speculation.minNgram(), speculation.maxNgram(), max, out);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int[] fromModel(int max) {
        int[] out = new int[max];
        try {
            int n = draftModel.draft(slot, history, length, max, out);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (RuntimeException e) { // a draft is only a guess: the request goes on without them
            LoggerFactory.getLogger(Drafter.class).warn("the draft model failed; slot {} goes on without drafts: {}",
                    slot, e.toString());
            failed = true;
            return NONE;
        }
    }

    /**
     * The draft length up to {@code max} with the most expected tokens per unit of step cost, or 0 when none beats a
     * plain step. A length whose cost is not measured yet is taken as nearly free, so that it is tried and measured;
     * none before a plain step has been measured, the unit all others are weighed in.
     */
    int worthwhile(int max, StepCosts costs) {
        double plain = costs.nanos(1, 1);
        if (Double.isNaN(plain)) {
            return 0;
        }
        double chance = (kept + 1) / (kept + refused + 2); // that a drafted token is kept; 1/2 before any evidence
        int best = 0;
        double bestRate = 1, expected = 1, p = 1; // a plain step: one token for one step's cost
        for (int d = 1; d <= max; d++) {
            p *= chance;
            expected += p; // the pending token, then each draft while all before it were kept
            double cost = costs.nanos(1, 1 + d) / plain;
            double rate = expected / (Double.isNaN(cost) ? 1 + d / 16.0 : cost);
            if (rate > bestRate) {
                best = d;
                bestRate = rate;
            }
        }
        return best;
    }

    private void learn(int confirmed, int offered) {
        kept = DECAY * kept + confirmed;
        refused = DECAY * refused + (confirmed < offered ? 1 : 0);
    }

    /** The latest token seen. */
    int last() {
        return history[length - 1];
    }

    int[] current() {
        return current;
    }

    /** Takes what verifying the current draft gave: {@code confirmed} of its tokens were the target's own picks. */
    void verified(int confirmed) {
        int offered = current.length;
        if (offered == 0) {
            return;
        }
        steps++;
        drafted += offered;
        accepted += confirmed;
        limit = confirmed == offered ? Math.min(speculation.maxDraft(), limit * 2) : Math.max(1, Math.max(confirmed,
                limit / 2));
        learn(confirmed, offered);
        current = NONE;
    }

    int drafted() {
        return drafted;
    }

    int accepted() {
        return accepted;
    }

    /** Steps that verified a draft. */
    int steps() {
        return steps;
    }
}
