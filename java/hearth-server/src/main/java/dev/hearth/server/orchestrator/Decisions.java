package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import java.util.Locale;

/** A routing decision as JSON: what {@code hearth route --explain} prints. */
public final class Decisions {
    private Decisions() {
    }

    public static ObjectNode json(RouteDecision d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("decision", switch (d) {
            case RouteDecision.Local l -> "local";
            case RouteDecision.Remote r -> "remote";
            case RouteDecision.Reject x -> "reject";
        });
        ModelProfile first = d.chosen();
        if (first == null) {
            o.putNull("model");
            o.putNull("provider");
        } else {
            o.put("model", first.id()).put("provider", first.provider()).put("local", first.local());
        }
        d.chain().forEach(p -> o.withArray("chain").add(p.id()));
        o.withArray("chain");
        o.put("reason", d.reason());
        o.put("task_class", d.classification().taskClass().name().toLowerCase(Locale.ROOT));
        o.put("complexity", d.classification().complexity());
        o.put("confidence", d.classification().confidence());
        d.classification().evidence().forEach(e -> o.withArray("evidence").add(e));
        o.put("estimated_cost_usd", switch (d) {
            case RouteDecision.Remote r -> r.estimatedCost();
            default -> 0.0;
        });
        return o;
    }
}
