package dev.hearth.server;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.Usage;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import io.helidon.webserver.http.ServerRequest;

/**
 * How every route runs a chat call: the decision checked against the request's key ({@link Access#check}) before
 * anything runs, the call made through the front door as the key's caller (the ledger records it, its budgets apply),
 * the tokens it used taken from the key's tokens-per-minute bucket, and the answer measured ({@link ServerMetrics}).
 * A new route that runs chat calls goes through here, not to {@link Hearth#stream} directly. Thread-safe.
 */
final class ServedCalls {
    private final Hearth hearth;
    private final RateLimiter limits;
    private final ServerMetrics metrics;

    ServedCalls(Hearth hearth, RateLimiter limits, ServerMetrics metrics) {
        this.hearth = hearth;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The router's decision for {@code request}, refused (403) when the request's key may not run it. */
    RouteDecision decide(ServerRequest req, String named, ChatRequest request) {
        RouteDecision decision = hearth.explain(request, routeOptions(req));
        Access.of(req).check(named, decision);
        return decision;
    }

    /**
     * What a request asks of the router beyond its body: a preset ({@code x-hearth-preset}), its conversation
     * ({@code x-hearth-session}: its model lock applies, and its first answer takes one) and its key (a lock on it
     * applies). The one place these headers are read.
     */
    static dev.hearth.router.RouteOptions routeOptions(ServerRequest req) {
        var headers = req.headers();
        return new dev.hearth.router.RouteOptions(
                headers.first(io.helidon.http.HeaderNames.create("x-hearth-preset")).orElse(null),
                headers.first(io.helidon.http.HeaderNames.create("x-hearth-session")).orElse(null),
                Access.of(req).key() == null ? null : Access.of(req).key().name());
    }

    /** The headers of a whole answer ({@link AnswerHeaders}), with its cost. */
    java.util.Map<String, String> headers(FallbackChain.Routed r) {
        return AnswerHeaders.answered(r, hearth.cost(r));
    }

    /** Runs a decision from {@link #decide}; {@code sink} null answers in one piece. */
    FallbackChain.Routed run(ServerRequest req, ChatRequest request, RouteDecision decision, ChatSink sink)
            throws InterruptedException {
        Access access = Access.of(req);
        long start = System.nanoTime();
        FallbackChain.Routed r = hearth.stream(request, decision, sink, EntryPoint.HTTP, access.caller(),
                routeOptions(req));
        Usage u = r.response().usage();
        if (access.key() != null) {
            limits.spend(access.key().name(), access.key().tpm(), (long) u.inputTokens() + u.outputTokens());
        }
        metrics.answered(r, System.nanoTime() - start, access.name(), hearth.cost(r).orElse(null));
        return r;
    }
}
