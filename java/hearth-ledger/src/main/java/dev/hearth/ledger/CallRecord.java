package dev.hearth.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A recorded call. {@code endedAt}, {@code outcome} and the measurements are null while the call runs (or if the
 * process died during it: such calls are marked {@code abandoned} when their reservation is reconciled).
 * {@code prompt} and {@code answer} are null unless content storage was on. A call answered from the response cache
 * has {@code cacheHits} 1, cost 0 and {@code savedUsd} the cost of the call whose answer it reused.
 * {@code draftedTokens} and {@code acceptedDraftTokens}: what speculative decoding drafted and the model confirmed.
 */
public record CallRecord(String id, Instant startedAt, Instant endedAt, EntryPoint entryPoint, Caller caller,
        String taskClass, String route, String routeReason, String model, String provider, boolean remote,
        Tokens tokens, BigDecimal costUsd, LocalDate priceAsOf, BigDecimal baselineCostUsd, Long firstTokenMillis,
        Long totalMillis, String outcome, int fallbackHops, String privacy, int cacheHits, BigDecimal savedUsd,
        String prompt, String answer, long draftedTokens, long acceptedDraftTokens) {
    /** Output tokens per second after the first token (null when unknown). */
    public BigDecimal outputTokensPerSecond() {
        if (totalMillis == null || tokens.output() == 0) {
            return null;
        }
        long generating = totalMillis - (firstTokenMillis == null ? 0 : firstTokenMillis);
        if (generating <= 0) {
            return null;
        }
        return BigDecimal.valueOf(tokens.output() * 1000L).divide(BigDecimal.valueOf(generating), 2,
                RoundingMode.HALF_UP);
    }

    /** The baseline's cost minus this call's: what answering here saved (negative when it cost more). */
    public BigDecimal savingsUsd() {
        return baselineCostUsd.subtract(costUsd);
    }
}
