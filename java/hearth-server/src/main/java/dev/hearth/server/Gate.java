package dev.hearth.server;

import dev.hearth.ledger.ApiKeys.ApiKey;
import dev.hearth.redis.RateLimits;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.Refusal;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The filter in front of every route, registered once, so a route added later is behind it too. While the ledger
 * holds no API key the server is open (it listens on loopback only, {@link HearthServer#start} sees to that); once
 * one exists, every path but {@code /health} and the dashboard's page and assets (which hold no data: the page asks
 * for a key and sends it with each call it makes) needs a valid key ({@code Authorization: Bearer KEY} or
 * {@code x-api-key: KEY}), and the key's requests and tokens per minute are held to its limits. A refusal is answered
 * here, in the shape of the route's wire format ({@link Wire}); an admitted request carries its {@link Access}.
 * Thread-safe.
 */
final class Gate implements Filter {
    private final KeyRing keys;
    private final RateLimits limits;

    Gate(KeyRing keys, RateLimits limits) {
        this.keys = keys;
        this.limits = limits;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        Access access;
        try {
            access = admit(path, req);
        } catch (RuntimeException e) { // a refusal, or the ledger cannot be read: answered, never a stack trace
            Replies.error(res, e, Wire.of(path));
            return;
        }
        req.context().register(access);
        chain.proceed();
    }

    private Access admit(String path, RoutingRequest req) {
        if (path.equals("/health") || path.equals("/dashboard") || path.startsWith("/dashboard/")
                || !keys.required()) {
            return Access.OPEN;
        }
        String secret = secret(req);
        if (secret == null) {
            throw refusal(401, "authentication_error", "missing_api_key", "this server requires an API key: send it"
                    + " as 'Authorization: Bearer KEY' or 'x-api-key: KEY' (the operator makes one with"
                    + " bin/hearth keys create NAME)", null);
        }
        ApiKey key = keys.verify(secret).orElseThrow(() -> refusal(401, "authentication_error", "invalid_api_key",
                "the API key is not valid: it is unknown or was revoked; check it, or ask the operator for a new one",
                null));
        RateLimits.Throttled t = limits.admit(key.name(), key.rpm(), key.tpm());
        if (t != null) {
            String limit = t.limit().equals("tokens") ? key.tpm() + " tokens" : key.rpm() + " requests";
            throw refusal(429, t.limit(), "rate_limit_exceeded", "the API key '" + key.name() + "' is limited to "
                    + limit + " per minute; retry after " + seconds(t.retryAfter()) + " s", t.retryAfter());
        }
        return new Access(key);
    }

    /** The secret from {@code Authorization: Bearer ...} or {@code x-api-key}, or null. */
    private static String secret(RoutingRequest req) {
        var auth = req.headers().first(HeaderNames.AUTHORIZATION);
        if (auth.isPresent()) {
            String value = auth.get().strip();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                return value.substring(7).strip();
            }
        }
        return req.headers().first(HeaderNames.create("x-api-key")).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(null);
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static Refusal refusal(int status, String type, String code, String message, Duration retryAfter) {
        return new Refusal(new ApiError(status, type, code, null, message, retryAfter));
    }
}
