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

    /**
     * The result as plain maps and lists, the one shape every face writes as JSON: {@code verdict}, {@code agreement}
     * (rounded to four places), {@code answer}, {@code chosen}, {@code basis}, {@code cost_usd}, {@code candidates}
     * (each {@code model}, {@code provider}, {@code answer}, {@code error} when it failed, {@code input_tokens},
     * {@code output_tokens}, {@code cost_usd}, {@code latency_ms}, {@code call_id}) and, after {@code until_agree},
     * {@code early_stop} ({@code until_agree}, {@code skipped}, {@code saved_usd}).
     */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("verdict", verdict.label());
        o.put("agreement", agreement.stream().map(row -> row.stream().map(s -> Math.round(s * 10_000) / 10_000.0)
                .toList()).toList());
        o.put("answer", answer());
        o.put("chosen", winner().map(Candidate::model).orElse(null));
        o.put("basis", basis);
        o.put("cost_usd", costUsd());
        List<Object> all = new java.util.ArrayList<>();
        for (Candidate c : candidates) {
            java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("model", c.model());
            e.put("provider", c.provider());
            e.put("answer", c.answer());
            if (c.error() != null) {
                e.put("error", c.error());
            }
            e.put("input_tokens", c.inputTokens());
            e.put("output_tokens", c.outputTokens());
            e.put("cost_usd", c.costUsd());
            e.put("latency_ms", c.latencyMs());
            e.put("call_id", c.callId());
            all.add(e);
        }
        o.put("candidates", all);
        if (early != null) {
            java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("until_agree", early.untilAgree());
            e.put("skipped", early.skipped());
            e.put("saved_usd", early.savedUsd());
            o.put("early_stop", e);
        }
        return o;
    }
}
