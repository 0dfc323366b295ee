package dev.hearth.router;

import java.util.List;

/** Where a request goes, why, and what comes next if it fails. Returned with every response and by explain. */
public sealed interface RouteDecision {
    Classification classification();

    String reason();

    /** Run on this machine. */
    record Local(ModelProfile model, List<ModelProfile> fallbacks, String reason, Classification classification,
            double estimatedCost) implements RouteDecision {
        public Local {
            fallbacks = List.copyOf(fallbacks);
        }
    }

    /** Send to a remote vendor. */
    record Remote(ModelProfile model, List<ModelProfile> fallbacks, String reason, Classification classification,
            double estimatedCost) implements RouteDecision {
        public Remote {
            fallbacks = List.copyOf(fallbacks);
        }
    }

    /** Nowhere: the reason says why and what to change. */
    record Reject(String reason, Classification classification) implements RouteDecision {
    }

    /** The chosen model then its fallbacks, in order (empty for a rejection). */
    default List<ModelProfile> chain() {
        return switch (this) {
            case Local l -> concat(l.model(), l.fallbacks());
            case Remote r -> concat(r.model(), r.fallbacks());
            case Reject x -> List.of();
        };
    }

    /** The model the router chose, before any fallback; null for a rejection. */
    default ModelProfile chosen() {
        return switch (this) {
            case Local l -> l.model();
            case Remote r -> r.model();
            case Reject x -> null;
        };
    }

    private static List<ModelProfile> concat(ModelProfile first, List<ModelProfile> rest) {
        var all = new java.util.ArrayList<ModelProfile>();
        all.add(first);
        all.addAll(rest);
        return List.copyOf(all);
    }
}
