package dev.hearth.server;

import dev.hearth.ledger.ApiKeys.ApiKey;
import dev.hearth.ledger.Caller;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.Refusal;
import io.helidon.webserver.http.ServerRequest;

/**
 * What the gate let a request do: the API key it presented ({@code key}), or none on an open loopback server. Routes
 * read it from the request ({@link #of}) to name the caller to the ledger (a key's budgets then apply) and to check,
 * once the router has decided, that the key may use that model and send it where the router would.
 */
record Access(ApiKey key) {
    static final Access OPEN = new Access(null);

    /** The gate's verdict for {@code req}; a request the gate never saw is refused (the server fails closed). */
    static Access of(ServerRequest req) {
        return req.context().get(Access.class).orElseThrow(() -> new IllegalStateException(
                "the request reached a route without passing the gate; register routes through HearthServer"));
    }

    /** Who the ledger records: the key's name, never its secret. */
    Caller caller() {
        return key == null ? Caller.ANONYMOUS : new Caller(key.name(), null, null);
    }

    /** The key's name for metrics, or {@code anonymous}. */
    String name() {
        return key == null ? "anonymous" : key.name();
    }

    /**
     * Refuses (403) a decision this key may not run: a model outside its list (the name the client sent, or for
     * {@code auto} the model chosen), or a chain that would send the request off this machine, even as a fallback,
     * when the key may not leave it. Nothing has run yet.
     */
    void check(String named, RouteDecision decision) {
        if (key == null) {
            return;
        }
        ModelProfile chosen = decision.chosen();
        if (!key.allows(named) && (chosen == null || !key.allows(chosen.id()))) {
            throw new Refusal(new ApiError(403, "permission_error", "model_not_allowed", "model", "the API key '"
                    + key.name() + "' may use only " + String.join(", ", key.allowedModels()) + ", not \"" + named
                    + "\"; name one of those, or ask the server's operator for a key that allows it", null));
        }
        if (!key.allowExternal()) {
            for (ModelProfile p : decision.chain()) {
                if (!p.local()) {
                    throw new Refusal(new ApiError(403, "permission_error", "external_not_allowed", "model",
                            "this request would be sent off this machine to " + p.id() + " (" + p.provider()
                            + (p == chosen ? "" : ", as a fallback") + "), and the API key '" + key.name()
                            + "' may not leave it; name a local model, or ask the operator for a key created with"
                            + " --allow-external", null));
                }
            }
        }
    }
}
