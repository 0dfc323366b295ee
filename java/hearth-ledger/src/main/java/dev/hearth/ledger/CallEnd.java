package dev.hearth.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What is known when a call ends. {@code outcome} is {@code ok}, {@code cancelled}, or the error's type name;
 * {@code costUsd} comes from the price table as of {@code priceAsOf}; {@code baselineCostUsd} is what the same tokens
 * would have cost on the configured baseline model (savings = baseline − cost). {@code firstTokenMillis} may be null
 * (no token came). {@code model} and {@code provider} name who answered when a fallback changed them (null: the ones
 * the call began with). {@code answer} is stored only when content storage is on. A call answered from the response
 * cache has {@code cacheHits} 1, cost 0, and {@code savedUsd} the cost of the call that answered first (what reusing
 * its answer saved; see {@link #withCacheHit}).
 */
public record CallEnd(String outcome, Tokens tokens, BigDecimal costUsd, LocalDate priceAsOf,
        BigDecimal baselineCostUsd, Long firstTokenMillis, long totalMillis, int fallbackHops, String privacy,
        int cacheHits, String model, String provider, String answer, BigDecimal savedUsd, long draftedTokens,
        long acceptedDraftTokens) {
    public static final String OK = "ok";
    public static final String CANCELLED = "cancelled";

    public CallEnd {
        if (outcome == null || outcome.isBlank()) {
            throw new IllegalArgumentException("a call's outcome is ok, cancelled, or an error type; got " + outcome);
        }
        Objects.requireNonNull(tokens, "tokens");
        costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
        baselineCostUsd = baselineCostUsd == null ? BigDecimal.ZERO : baselineCostUsd;
        savedUsd = savedUsd == null ? BigDecimal.ZERO : savedUsd;
        if (costUsd.signum() < 0 || baselineCostUsd.signum() < 0 || savedUsd.signum() < 0) {
            throw new IllegalArgumentException("costs cannot be negative: cost " + costUsd + ", baseline "
                    + baselineCostUsd + ", saved " + savedUsd);
        }
        if (totalMillis < 0 || (firstTokenMillis != null && firstTokenMillis < 0) || fallbackHops < 0
                || cacheHits < 0) {
            throw new IllegalArgumentException("times, hops and cache hits cannot be negative");
        }
        if (draftedTokens < 0 || acceptedDraftTokens < 0 || acceptedDraftTokens > draftedTokens) {
            throw new IllegalArgumentException("draft counts are 0 <= accepted <= drafted, not " + acceptedDraftTokens
                    + " of " + draftedTokens);
        }
    }

    /** A call's end that drafted nothing. */
    public CallEnd(String outcome, Tokens tokens, BigDecimal costUsd, LocalDate priceAsOf, BigDecimal baselineCostUsd,
            Long firstTokenMillis, long totalMillis, int fallbackHops, String privacy, int cacheHits, String model,
            String provider, String answer, BigDecimal savedUsd) {
        this(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, firstTokenMillis, totalMillis, fallbackHops, privacy,
                cacheHits, model, provider, answer, savedUsd, 0, 0);
    }

    /** A call's end that saved nothing by the response cache. */
    public CallEnd(String outcome, Tokens tokens, BigDecimal costUsd, LocalDate priceAsOf, BigDecimal baselineCostUsd,
            Long firstTokenMillis, long totalMillis, int fallbackHops, String privacy, int cacheHits, String model,
            String provider, String answer) {
        this(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, firstTokenMillis, totalMillis, fallbackHops, privacy,
                cacheHits, model, provider, answer, BigDecimal.ZERO);
    }

    /** A successful call's end: its tokens and cost, nothing else. */
    public static CallEnd ok(Tokens tokens, BigDecimal costUsd, long totalMillis) {
        return new CallEnd(OK, tokens, costUsd, null, BigDecimal.ZERO, null, totalMillis, 0, null, 0, null, null, null);
    }

    /** A failed call's end: {@code errorType} is the exception's simple name, e.g. {@code ProviderException}. */
    public static CallEnd failed(String errorType, long totalMillis) {
        return new CallEnd(errorType, Tokens.NONE, BigDecimal.ZERO, null, BigDecimal.ZERO, null, totalMillis, 0, null,
                0, null, null, null);
    }

    public CallEnd withBaseline(BigDecimal baselineUsd) {
        return new CallEnd(outcome, tokens, costUsd, priceAsOf, baselineUsd, firstTokenMillis, totalMillis,
                fallbackHops, privacy, cacheHits, model, provider, answer, savedUsd, draftedTokens,
                acceptedDraftTokens);
    }

    public CallEnd withFirstToken(long millis) {
        return new CallEnd(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, millis, totalMillis, fallbackHops,
                privacy, cacheHits, model, provider, answer, savedUsd, draftedTokens, acceptedDraftTokens);
    }

    public CallEnd withAnswer(String text) {
        return new CallEnd(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, firstTokenMillis, totalMillis,
                fallbackHops, privacy, cacheHits, model, provider, text, savedUsd, draftedTokens, acceptedDraftTokens);
    }

    public CallEnd withAnsweredBy(String answeredModel, String answeredProvider, int hops) {
        return new CallEnd(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, firstTokenMillis, totalMillis, hops,
                privacy, cacheHits, answeredModel, answeredProvider, answer, savedUsd, draftedTokens,
                acceptedDraftTokens);
    }

    /**
     * The same end for a call answered from the response cache: one hit, nothing spent, and {@code saved} (the cost of
     * the call whose answer it reused) saved.
     */
    public CallEnd withCacheHit(BigDecimal saved) {
        return new CallEnd(outcome, tokens, BigDecimal.ZERO, null, baselineCostUsd, firstTokenMillis, totalMillis,
                fallbackHops, privacy, 1, model, provider, answer, saved, draftedTokens, acceptedDraftTokens);
    }

    /** The same end with what speculative decoding drafted and what the model confirmed of it. */
    public CallEnd withDrafts(long drafted, long accepted) {
        return new CallEnd(outcome, tokens, costUsd, priceAsOf, baselineCostUsd, firstTokenMillis, totalMillis,
                fallbackHops, privacy, cacheHits, model, provider, answer, savedUsd, drafted, accepted);
    }
}
