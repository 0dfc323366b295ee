package dev.hearth.runtime;

import dev.hearth.router.CacheStatus;
import dev.hearth.router.RouteOptions;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a caller asks of one call through {@link Hearth#stream(dev.hearth.api.ChatRequest,
 * dev.hearth.router.RouteDecision, dev.hearth.api.ChatSink, dev.hearth.ledger.EntryPoint, dev.hearth.ledger.Caller,
 * CallOptions)} beyond the request itself.
 *
 * @param cache          how the call uses the response cache
 * @param onCacheStatus  told what the cache does for the call (hit, miss or bypass) before any of the answer reaches
 *                       the sink: for a face that must say so first (the server's {@code x-hearth-cache} header on a
 *                       stream); the result's {@link dev.hearth.router.FallbackChain.Routed#cache()} says it too
 * @param route          the preset and the conversation the decision was made with: a session without a lock takes
 *                       one on the model that answers ({@link dev.hearth.router.ModelLocks})
 * @param onCallId       told the call's ledger id before the model runs (not when the ledger cannot be written): for a
 *                       face that names the call before the answer (the server's {@code x-hearth-request-id} on a
 *                       stream)
 */
public record CallOptions(CacheMode cache, Consumer<CacheStatus> onCacheStatus, RouteOptions route,
        Consumer<String> onCallId) {
    /** The response cache as configured, nobody told, no preset or session. */
    public static final CallOptions DEFAULT = new CallOptions(CacheMode.DEFAULT, null, null);

    public CallOptions {
        cache = cache == null ? CacheMode.DEFAULT : cache;
        onCacheStatus = onCacheStatus == null ? status -> { } : onCacheStatus;
        route = route == null ? RouteOptions.defaults() : route;
        onCallId = onCallId == null ? id -> { } : onCallId;
    }

    public CallOptions(CacheMode cache, Consumer<CacheStatus> onCacheStatus, RouteOptions route) {
        this(cache, onCacheStatus, route, null);
    }

    /** The defaults with the cache used as {@code mode} says. */
    public static CallOptions cache(CacheMode mode) {
        return new CallOptions(mode, null, null);
    }

    public CallOptions withCache(CacheMode mode) {
        return new CallOptions(mode, onCacheStatus, route, onCallId);
    }

    public CallOptions withCacheStatus(Consumer<CacheStatus> listener) {
        return new CallOptions(cache, Objects.requireNonNull(listener, "listener"), route, onCallId);
    }

    public CallOptions withRoute(RouteOptions options) {
        return new CallOptions(cache, onCacheStatus, options, onCallId);
    }

    public CallOptions withCallId(Consumer<String> listener) {
        return new CallOptions(cache, onCacheStatus, route, Objects.requireNonNull(listener, "listener"));
    }
}
