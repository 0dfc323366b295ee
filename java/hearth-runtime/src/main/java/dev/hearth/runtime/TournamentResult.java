package dev.hearth.runtime;

import dev.hearth.router.FallbackChain;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a tournament decided: the verdict, the answer it returns (the most central of the largest agreeing group), every
 * candidate that was asked (answers and failures alike, each an ordinary call in the ledger), the agreement matrix
 * between them (row and column {@code i} is candidate {@code i}), how agreement was measured, and what an early stop
 * saved.
 *
 * @param verdict   consensus, majority or dispute
 * @param chosen    the index of the candidate whose answer is returned; -1 when none answered
 * @param agreement pairwise agreement in [0, 1]: the cosine similarity of text answers, or the share of equal fields of
 *                  structured ones; 0 where either failed; 1 on the diagonal of those that answered
 * @param basis     how agreement was measured, with its threshold ("text: cosine similarity of all-MiniLM-L6-v2
 *                  vectors >= 0.85", "structured: every field equal after normalisation")
 * @param early     what stopping early skipped and saved; null when every model was asked
 */
public record TournamentResult(Verdict verdict, int chosen, List<Candidate> candidates, List<List<Double>> agreement,
        String basis, EarlyStop early) {
    public TournamentResult {
        candidates = List.copyOf(candidates);
        agreement = agreement.stream().map(List::copyOf).toList();
    }

    /** How far the candidates agreed. */
    public enum Verdict {
        /** Every candidate answered and all agree. */
        CONSENSUS,
        /** More than half of the candidates agree. */
        MAJORITY,
        /** No group of more than half agrees: a person should decide. */
        DISPUTE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One model's turn: its answer or its failure, as the ledger recorded it.
     *
     * @param model     the model asked (its id in the registry)
     * @param provider  its provider ("local" on this machine)
     * @param answer    what it answered; null when it failed
     * @param error     why it failed; null when it answered
     * @param costUsd   what its answer cost (zero locally; null when the price table does not know the model)
     * @param latencyMs from sending to the whole answer
     * @param callId    its call in the ledger (null when the ledger could not record it)
     * @param routed    the front door's whole answer (null when it failed), for faces that reply in a wire format
     */
    public record Candidate(String model, String provider, String answer, String error, long inputTokens,
            long outputTokens, BigDecimal costUsd, long latencyMs, String callId, FallbackChain.Routed routed) {
        public boolean answered() {
            return error == null;
        }
    }

    /**
     * An early stop ({@code until_agree}): the models never asked, and what they would have cost at the answered
     * candidates' mean usage, by the price table.
     */
    public record EarlyStop(int untilAgree, List<String> skipped, BigDecimal savedUsd) {
        public EarlyStop {
            skipped = List.copyOf(skipped);
        }
    }

    /** The candidate whose answer is returned; empty when none answered. */
    public Optional<Candidate> winner() {
        return chosen < 0 ? Optional.empty() : Optional.of(candidates.get(chosen));
    }

    /** The answer returned; null when none answered. */
    public String answer() {
        return winner().map(Candidate::answer).orElse(null);
    }

    /** What every candidate asked cost together (those the price table does not know count as zero). */
    public BigDecimal costUsd() {
        return candidates.stream().map(Candidate::costUsd).filter(java.util.Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
