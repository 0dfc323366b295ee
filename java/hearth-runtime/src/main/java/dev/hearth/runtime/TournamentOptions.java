package dev.hearth.runtime;

import java.util.List;

/**
 * What a tournament asks: which models answer (listed, or none for the router's registry to offer {@code n} of them,
 * different providers and families first), how many, whether to stop early once {@code untilAgree} of them agree
 * (cheapest first), and how close two text answers' embeddings must be to agree.
 *
 * @param models     model specs as {@link Hearth#use} takes them; empty: chosen for diversity
 * @param n          how many models answer (at least 2); with listed models, their number wins
 * @param untilAgree 0: every model answers at once; k (2..n): cheapest first, stopping once k agree
 * @param threshold  the cosine similarity at or above which two text answers agree (0 to 1)
 */
public record TournamentOptions(List<String> models, int n, int untilAgree, double threshold) {
    /** Two text answers agree when their MiniLM vectors' cosine similarity is at least this. */
    public static final double DEFAULT_THRESHOLD = 0.85;
    public static final int DEFAULT_N = 3;

    public TournamentOptions {
        models = List.copyOf(models);
        if (!models.isEmpty()) {
            n = models.size();
        }
        if (n < 2) {
            throw new IllegalArgumentException("a tournament needs at least 2 models, not " + n
                    + "; name two or more, or leave n at " + DEFAULT_N);
        }
        if (untilAgree != 0 && (untilAgree < 2 || untilAgree > n)) {
            throw new IllegalArgumentException("until_agree must be between 2 and the number of models (" + n
                    + "), not " + untilAgree + "; or 0 to let every model answer");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("the agreement threshold is a cosine similarity above 0 and at most 1,"
                    + " not " + threshold);
        }
    }

    /** Three models chosen for diversity, all answering, text agreeing at {@value #DEFAULT_THRESHOLD}. */
    public static TournamentOptions defaults() {
        return new TournamentOptions(List.of(), DEFAULT_N, 0, DEFAULT_THRESHOLD);
    }

    public TournamentOptions withModels(List<String> m) {
        return new TournamentOptions(m, m.isEmpty() ? n : m.size(), untilAgree, threshold);
    }

    public TournamentOptions withN(int count) {
        return new TournamentOptions(models, count, untilAgree, threshold);
    }

    public TournamentOptions withUntilAgree(int k) {
        return new TournamentOptions(models, n, k, threshold);
    }

    public TournamentOptions withThreshold(double t) {
        return new TournamentOptions(models, n, untilAgree, t);
    }
}
