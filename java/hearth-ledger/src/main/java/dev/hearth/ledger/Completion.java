package dev.hearth.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A finished call for {@link Ledger#complete}: its end, and the real cost to settle its reservation with
 * ({@code settleUsd}; null when the call reserved nothing, e.g. a local call).
 */
public record Completion(String callId, BigDecimal settleUsd, CallEnd end) {
    public Completion {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(end, "end");
    }
}
