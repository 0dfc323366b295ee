package dev.hearth.api;

/**
 * What speculative decoding did for one answer of a local model: the tokens it drafted ahead and, of those, the ones
 * the model's own picks confirmed (each saved a decode step). The answer is the same as without drafts. Both are 0 for
 * an answer that did not speculate, from a remote model, or from the response cache.
 *
 * @param drafted   tokens drafted
 * @param accepted  of those, tokens confirmed
 */
public record DraftTokens(long drafted, long accepted) {
    public static final DraftTokens NONE = new DraftTokens(0, 0);

    public DraftTokens {
        if (drafted < 0 || accepted < 0 || accepted > drafted) {
            throw new IllegalArgumentException("draft counts are 0 <= accepted <= drafted, not " + accepted
                    + " accepted of " + drafted);
        }
    }

    /** Accepted over drafted; 0 when nothing was drafted. */
    public double acceptance() {
        return drafted == 0 ? 0 : (double) accepted / drafted;
    }
}
