package dev.hearth.llama.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's sequence slots: which request each serves, and the tokens each holds in its KV cache (kept after a
 * request ends, as a prefix cache). Owned by the scheduler loop; not thread-safe.
 */
final class Slots {
    private final EngineJob[] jobs;
    private final int[][] cached;
    private final int[] cachedLength;
    private final long[] lastUsed;
    private final String[] conversations; // the ConversationKey of the chat whose tokens each slot holds, or null
    private long clock;

    Slots(int n) {
        jobs = new EngineJob[n];
        cached = new int[n][64];
        cachedLength = new int[n];
        lastUsed = new long[n];
        conversations = new String[n];
    }

    int count() {
        return jobs.length;
    }

    EngineJob job(int slot) {
        return jobs[slot];
    }

    boolean anyActive() {
        for (EngineJob j : jobs) {
            if (j != null) {
                return true;
            }
        }
        return false;
    }

    List<EngineJob> active() {
        List<EngineJob> out = new ArrayList<>();
        for (EngineJob j : jobs) {
            if (j != null) {
                out.add(j);
            }
        }
        return out;
    }

    /**
     * The free slot for a prompt: the one whose cache shares the longest prefix with it; among equals, the one that
     * keeps the busy slots in the fewest runs of consecutive numbers; then the least recently used (so an idle slot's
     * cache is evicted before a fresher one). -1 when every slot is busy. Runs matter because each slot is a sequence
     * with its own share of the KV cache, and llama.cpp then decodes a batch as one pass per run of consecutive
     * sequence ids (its split_equal): four streams in slots 0, 5, 6 and 7 cost a step of one plus a step of three.
     * Found on the engine bench: with 8 slots, 4-6 streams ran at 0.81-0.86x of llama.cpp's batched decoding of the
     * same streams in sequences 0..n-1.
     */
    int choose(int[] prompt) {
        int best = -1, bestPrefix = -1, bestRuns = Integer.MAX_VALUE;
        for (int s = 0; s < jobs.length; s++) {
            if (jobs[s] != null) {
                continue;
            }
            int prefix = commonPrefix(s, prompt);
            int runs = runsWith(s);
            if (prefix > bestPrefix || (prefix == bestPrefix && (runs < bestRuns
                    || (runs == bestRuns && lastUsed[s] < lastUsed[best])))) {
                best = s;
                bestPrefix = prefix;
                bestRuns = runs;
            }
        }
        return best;
    }

    /** Runs of consecutive busy slots, were {@code slot} busy too. */
    private int runsWith(int slot) {
        int runs = 0;
        boolean previous = false;
        for (int s = 0; s < jobs.length; s++) {
            boolean busy = s == slot || jobs[s] != null;
            runs += busy && !previous ? 1 : 0;
            previous = busy;
        }
        return runs;
    }

    int commonPrefix(int slot, int[] prompt) {
        int n = Math.min(cachedLength[slot], prompt.length);
        int[] c = cached[slot];
        int i = 0;
        while (i < n && c[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    void truncate(int slot, int length) {
        cachedLength[slot] = Math.min(cachedLength[slot], length);
    }

    void append(int slot, int token) {
        if (cachedLength[slot] == cached[slot].length) {
            cached[slot] = Arrays.copyOf(cached[slot], cached[slot].length * 2);
        }
        cached[slot][cachedLength[slot]++] = token;
    }

    void assign(int slot, EngineJob job) {
        jobs[slot] = job;
        job.slot = slot;
        conversations[slot] = job.conversation;
        lastUsed[slot] = ++clock;
    }

    void free(int slot) {
        jobs[slot] = null;
        lastUsed[slot] = ++clock;
    }

    /** Tokens each slot holds. */
    synchronized long[] lengths() {
        long[] out = new long[cachedLength.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = cachedLength[s];
        }
        return out;
    }

    /**
     * The conversations whose openings the slots' caches hold: each slot's last chat, whose prompt it holds from its
     * assignment on (fed in the steps that follow) until another request takes the slot.
     */
    List<String> conversations() {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < conversations.length; s++) {
            if (conversations[s] != null && !out.contains(conversations[s])) {
                out.add(conversations[s]);
            }
        }
        return List.copyOf(out);
    }

    /** KV cells holding tokens, over all slots. */
    long cells() {
        long n = 0;
        for (int length : cachedLength) {
            n += length;
        }
        return n;
    }
}
