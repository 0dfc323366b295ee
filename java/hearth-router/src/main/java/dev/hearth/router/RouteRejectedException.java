package dev.hearth.router;

import dev.hearth.api.HearthException;

/** The router found no model it may use for a request; the message says why and what to change. */
public final class RouteRejectedException extends HearthException {
    private final transient RouteDecision.Reject decision;

    public RouteRejectedException(RouteDecision.Reject decision) {
        super(decision.reason());
        this.decision = decision;
    }

    public RouteDecision.Reject decision() {
        return decision;
    }
}
