package dev.hearth.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished call for {@link Ledger#complete}, written in one transaction: its start when nothing was written before it
 * answered ({@code begun}; null when {@link Ledger#begin} already recorded it), the trace events it raised on the way
 * (fallbacks, redactions, circuit changes, a cache hit), the real cost of each reservation it held
 * ({@code settlements}: a remote call's hops), and its end.
 */
public record Completion(String callId, Begun begun, List<Event> events, List<Settlement> settlements, CallEnd end) {
    /** A call's start, recorded with its end: what {@link Ledger#begin} would have written, and when it started. */
    public record Begun(CallStart start, Instant at) {
        public Begun {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A trace event (named with {@link GenAi}'s constants). */
    public record Event(String name, Map<String, String> attributes) {
        public Event {
            Objects.requireNonNull(name, "name");
            attributes = Map.copyOf(attributes);
        }
    }

    /** A reservation ({@link Ledger#reserve}'s id) settled to its real cost. */
    public record Settlement(String holdId, BigDecimal usd) {
        public Settlement {
            Objects.requireNonNull(holdId, "holdId");
            Objects.requireNonNull(usd, "usd");
        }
    }

    public Completion {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(end, "end");
        events = List.copyOf(events);
        settlements = List.copyOf(settlements);
    }

    /** A call already begun: settled to {@code settleUsd} under its own id (null: it reserved nothing), then ended. */
    public Completion(String callId, BigDecimal settleUsd, CallEnd end) {
        this(callId, null, List.of(), settleUsd == null ? List.of() : List.of(new Settlement(callId, settleUsd)), end);
    }
}
