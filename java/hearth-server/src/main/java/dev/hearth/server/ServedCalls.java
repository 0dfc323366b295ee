package dev.hearth.server;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.Usage;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.CacheMode;
import dev.hearth.runtime.CallOptions;
import dev.hearth.runtime.Hearth;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * How every route runs a chat call: the decision checked against the request's key ({@link Access#check}) before
 * anything runs, the call made through the front door as the key's caller (the ledger records it, its budgets apply),
 * the tokens it used taken from the key's tokens-per-minute bucket, and the answer measured ({@link ServerMetrics}).
 * The response cache is used as the request's headers ask ({@link #cacheMode}: {@code Cache-Control: no-cache} asks the
 * model, not the cache; {@code x-hearth-cache-mode} opts in), and the answer says what it did in
 * {@code x-hearth-cache: hit|miss|bypass}, a stream's before its first event. A new route that runs chat calls goes
 * through here, not to {@link Hearth#stream} directly; so do embeddings ({@link #embed}). Thread-safe.
 */
final class ServedCalls {
    /** The answer's header saying what the response cache did: {@code hit}, {@code miss} or {@code bypass}. */
    static final String CACHE_HEADER = "x-hearth-cache";
    /** The request's header choosing how the cache is used: default, opt-in, semantic or bypass ({@link #cacheMode}). */
    static final String CACHE_MODE_HEADER = "x-hearth-cache-mode";

    private final Hearth hearth;
    private final dev.hearth.redis.RateLimits limits;
    private final ServerMetrics metrics;

    ServedCalls(Hearth hearth, dev.hearth.redis.RateLimits limits, ServerMetrics metrics) {
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

    /**
     * Runs a decision from {@link #decide}; {@code sink} null answers in one piece. {@code res} gets the
     * {@code x-hearth-cache} header as soon as the cache has decided, before any of the answer.
     */
    FallbackChain.Routed run(ServerRequest req, ServerResponse res, ChatRequest request, RouteDecision decision,
            ChatSink sink) throws InterruptedException {
        Access access = Access.of(req);
        long start = System.nanoTime();
        CallOptions options = CallOptions.cache(cacheMode(req)).withRoute(routeOptions(req)).withCacheStatus(status -> {
            if (!res.isSent()) {
                res.header(CACHE_HEADER, status.label());
            }
        }).withCallId(id -> {
            if (!res.isSent()) { // a stream's headers name the call before its first token
                AnswerHeaders.callId(id).forEach(res::header);
            }
        });
        FallbackChain.Routed r = hearth.stream(request, decision, sink, EntryPoint.HTTP, access.caller(), options);
        Usage u = r.response().usage();
        if (access.key() != null && !r.cached()) { // a cached answer used no model's tokens
            limits.spend(access.key().name(), access.key().tpm(), (long) u.inputTokens() + u.outputTokens());
        }
        metrics.answered(r, System.nanoTime() - start, access.name(), hearth.cost(r).orElse(null));
        return r;
    }

    /**
     * Embeds through the front door as the request's key's caller (the ledger records the call), the tokens the model
     * read taken from the key's tokens-per-minute bucket. {@code model} is what {@link ModelNames#embedding} gave.
     */
    dev.hearth.runtime.Vectors embed(ServerRequest req, String model, java.util.List<String> texts)
            throws InterruptedException {
        Access access = Access.of(req);
        dev.hearth.runtime.Vectors v = hearth.embed(model, texts, EntryPoint.HTTP, access.caller());
        if (access.key() != null) {
            limits.spend(access.key().name(), access.key().tpm(), v.inputTokens());
        }
        return v;
    }

    /**
     * How a request uses the response cache: {@code Cache-Control: no-cache} (or {@code no-store}) asks the model and
     * not the cache; else {@code x-hearth-cache-mode} chooses ({@code opt-in}: cache it though it is not
     * deterministic; {@code semantic}: also reuse a similar request's answer; {@code bypass}; {@code default}); else
     * the default (deterministic requests only). An unknown mode is refused (400) with the choices.
     */
    static CacheMode cacheMode(ServerRequest req) {
        for (String value : req.headers().all(HeaderNames.CACHE_CONTROL, java.util.List::of)) {
            for (String directive : value.split(",")) {
                String d = directive.strip().toLowerCase(java.util.Locale.ROOT);
                if (d.equals("no-cache") || d.equals("no-store")) {
                    return CacheMode.BYPASS;
                }
            }
        }
        String mode = req.headers().first(HeaderNames.create(CACHE_MODE_HEADER)).map(String::strip).orElse("");
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "", "default" -> CacheMode.DEFAULT;
            case "opt-in", "on" -> CacheMode.OPT_IN;
            case "semantic" -> CacheMode.SEMANTIC;
            case "bypass", "off" -> CacheMode.BYPASS;
            default -> throw new IllegalArgumentException(CACHE_MODE_HEADER + " must be default, opt-in, semantic or"
                    + " bypass, not \"" + mode + "\"");
        };
    }
}
