package dev.hearth.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Optional;

/**
 * Cross-origin access for browser pages, off unless {@code HEARTH_CORS_ORIGINS} names the origins allowed
 * ({@code *} for any). A request from an allowed origin gets {@code access-control-allow-origin} (its own origin) and
 * the {@code x-hearth-*} headers exposed; a preflight ({@code OPTIONS} with {@code access-control-request-method})
 * from one is answered 204 here, before the gate, since browsers send no key with it. Other origins get no CORS
 * headers, so browsers keep their pages from reading the answers. Thread-safe.
 */
final class Cors implements Filter {
    private static final String EXPOSED = "x-hearth-model, x-hearth-route, x-hearth-call-id, retry-after";
    private static final String ALLOWED_HEADERS = "authorization, content-type, x-api-key, anthropic-version,"
            + " anthropic-beta, openai-organization, openai-project";
    private final List<String> origins;

    Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = origins.isEmpty() ? Optional.empty() : req.headers().first(HeaderNames.ORIGIN)
                .filter(o -> origins.contains("*") || origins.contains(o));
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        res.header("access-control-allow-origin", origin.get());
        res.header("vary", "origin");
        if (req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            res.header("access-control-allow-methods", "GET, POST, OPTIONS");
            res.header("access-control-allow-headers", req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)
                    .orElse(ALLOWED_HEADERS));
            res.header("access-control-max-age", "600");
            res.status(204).send();
            return;
        }
        res.header("access-control-expose-headers", EXPOSED);
        chain.proceed();
    }
}
