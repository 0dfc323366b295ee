package dev.hearth.llama.engine;

import dev.hearth.llama.Speculation;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * One request's drafting: the tokens it has seen (prompt, then output), how long a draft the last verifications
 * earned, and its counts. Owned by the scheduler loop; not thread-safe.
 */
final class Drafter {
    /** AUTO judges its acceptance over windows of this many drafted tokens... */
    static final int WINDOW = 32;
    /** ...and below this share accepted, pauses drafting for {@link #PAUSE} steps. */
    static final double MIN_ACCEPTANCE = 0.25;
    static final int PAUSE = 32;

    private final Speculation speculation;
    private final int slot;
    private final DraftModel draftModel; // null unless the request drafts with it
    private int[] history;
    private int length;
    private int limit;           // the draft length the recent verifications earned
    private int[] current = new int[0];
    private int pause;
    private int windowDrafted, windowAccepted;
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
    }

    /**
     * Drafts up to {@code room} tokens to follow the history (whose last token is the one about to be decoded), or
     * none; what it returns stays {@link #current()} until the next call. {@code alone}: this request is the only one
     * generating in its engine (not merely the only one its step decodes: streams that take turns each get steps of
     * their own). AUTO drafts only then: one sequence's step is bound by reading the weights, so verifying a few
     * more tokens in it costs little; in a batch of several the step is already doing that work for the others, and
     * drafts that are refused make every stream in it wait.
     */
    int[] draft(int room, boolean alone) {
        current = new int[0];
        if (!alone && speculation.mode() == Speculation.Mode.AUTO) {
            return current;
        }
        if (pause > 0) {
            pause--;
            return current;
        }
        int max = Math.min(limit, room);
        if (max <= 0) {
            return current;
        }
        int[] out = new int[max];
        int n;
        if (draftModel == null) {
            n = PromptLookup.draft(history, length, speculation.minNgram(), speculation.maxNgram(), max, out);
        } else {
            try {
                n = draftModel.draft(slot, history, length, max, out);
            } catch (RuntimeException e) { // a draft is only a guess: the request goes on without them
                LoggerFactory.getLogger(Drafter.class).warn("the draft model failed; slot {} goes on without drafts: {}",
                        slot, e.toString());
                pause = Integer.MAX_VALUE;
                return current;
            }
        }
        current = n == out.length ? out : Arrays.copyOf(out, n);
        return current;
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
        if (speculation.mode() == Speculation.Mode.AUTO) {
            windowDrafted += offered;
            windowAccepted += confirmed;
            if (windowDrafted >= WINDOW) {
                if (windowAccepted < MIN_ACCEPTANCE * windowDrafted) {
                    pause = PAUSE;
                }
                windowDrafted = windowAccepted = 0;
            }
        }
        current = new int[0];
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
