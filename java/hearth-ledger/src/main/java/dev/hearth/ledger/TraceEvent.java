package dev.hearth.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a call's trace. {@code name} is one of {@link GenAi}'s event names; attributes use OpenTelemetry's
 * GenAI semantic-convention names ({@link GenAi}), so a trace can be exported as spans later.
 */
public record TraceEvent(String callId, Instant at, String name, Map<String, String> attributes) {
    public TraceEvent {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a trace event needs a name, e.g. " + GenAi.EVENT_FALLBACK);
        }
        attributes = Map.copyOf(attributes);
    }
}
