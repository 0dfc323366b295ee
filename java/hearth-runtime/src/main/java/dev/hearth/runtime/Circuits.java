package dev.hearth.runtime;

import dev.hearth.ledger.GenAi;
import dev.hearth.router.HealthTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuits that opened or closed while a call ran, kept to be written as that call's trace events
 * ({@link GenAi#EVENT_CIRCUIT_OPEN}, {@link GenAi#EVENT_CIRCUIT_CLOSE}). A circuit changes on the thread that ran the
 * hop which changed it, which is the call's own; every change is also logged.
 */
final class Circuits implements HealthTracker.Transitions {
    private static final Logger LOG = LoggerFactory.getLogger(Circuits.class);

    /** One change of one model's circuit. */
    record Change(String model, String from, String to) {
        String event() {
            return to.equals("closed") ? GenAi.EVENT_CIRCUIT_CLOSE : GenAi.EVENT_CIRCUIT_OPEN;
        }
    }

    private final ThreadLocal<List<Change>> during = new ThreadLocal<>();

    @Override
    public void changed(String model, String from, String to) {
        LOG.info("the circuit of {} went from {} to {}", model, from, to);
        List<Change> changes = during.get();
        if (changes != null && (to.equals("closed") || to.endsWith("open") && !to.equals("half_open"))) {
            changes.add(new Change(model, from, to));
        }
    }

    /** Starts collecting this thread's changes for the call it is about to run. */
    void begin() {
        during.set(new ArrayList<>());
    }

    /** What changed since {@link #begin()}; stops collecting. */
    List<Change> end() {
        List<Change> changes = during.get();
        during.remove();
        return changes == null ? List.of() : changes;
    }

    /** {@code changes} as trace events of the call that caused them. */
    static List<dev.hearth.ledger.Completion.Event> events(List<Change> changes) {
        return changes.stream().map(c -> new dev.hearth.ledger.Completion.Event(c.event(), Map.of(GenAi.REQUEST_MODEL,
                c.model(), "hearth.circuit.from", c.from(), "hearth.circuit.to", c.to()))).toList();
    }
}
