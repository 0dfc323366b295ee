package dev.hearth.llama.engine;

/**
 * Draft-free drafting: when the latest tokens of a sequence (an n-gram) occurred before, in the prompt or the output so
 * far, the tokens that followed them then are the guess for what follows now. Strong where the answer quotes its input
 * (code edits, extraction, summaries that quote) or repeats itself. Stateless; thread-safe.
 */
final class PromptLookup {
    private PromptLookup() {
    }

    /**
     * Writes up to {@code max} drafted tokens into {@code out} and returns how many: the continuation of the most
     * recent earlier occurrence of the last n tokens of {@code history[0, length)}, trying n from {@code maxNgram} down
     * to {@code minNgram}. A continuation that runs into the present repeats with the match's period (a loop goes on).
     */
    static int draft(int[] history, int length, int minNgram, int maxNgram, int max, int[] out) {
        for (int n = Math.min(maxNgram, length - 1); n >= minNgram; n--) {
            int at = lastOccurrence(history, length, n);
            if (at >= 0) {
                int from = at + n; // the first token after the match
                int period = length - from;
                int count = Math.min(max, out.length);
                for (int i = 0; i < count; i++) {
                    out[i] = history[from + i % period];
                }
                return count;
            }
        }
        return 0;
    }

    // the latest start j < length - n with history[j, j + n) == history[length - n, length); -1 when none
    private static int lastOccurrence(int[] history, int length, int n) {
        int suffix = length - n;
        int last = history[length - 1];
        for (int j = suffix - 1; j >= 0; j--) {
            if (history[j + n - 1] != last) {
                continue;
            }
            int i = 0;
            while (i < n && history[j + i] == history[suffix + i]) {
                i++;
            }
            if (i == n) {
                return j;
            }
        }
        return -1;
    }
}
