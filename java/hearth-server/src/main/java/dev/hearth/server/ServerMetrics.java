package dev.hearth.server;

import dev.hearth.host.ModelHost;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.Hearth;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * What {@code GET /metrics} shows, in Prometheus' text format: requests by route pattern, model and status (a filter
 * around every route); each answer's time to first token and end-to-end time as histograms, tokens in and out, cost
 * and fallbacks by model and key name; speculative decoding's drafted and accepted tokens by model; the host's loaded
 * models and the leases on them; each pool endpoint's state and counts ({@link PoolMetrics}). Labels come only from
 * bounded sets (route patterns, configured model ids, key names, status codes): never a prompt, a secret or a path a
 * client made up. Thread-safe.
 */
final class ServerMetrics implements Filter {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final PoolMetrics pools;

    ServerMetrics(Hearth hearth) {
        pools = new PoolMetrics(hearth, registry);
        Gauge.builder("hearth.models.loaded", hearth, h -> h.host().loadedNow().size())
                .description("models the host holds in memory now").register(registry);
        Gauge.builder("hearth.models.leases", hearth, h -> h.host().loadedNow().stream().mapToInt(ModelHost.LoadedModel::leases)
                        .sum()).description("calls using a loaded model now").register(registry);
        Gauge.builder("hearth.calls.unrecorded", hearth, Hearth::unrecordedCalls)
                .description("calls that answered but could not be written to the ledger").register(registry);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            chain.proceed();
        } finally {
            // the pattern of the route that answered; none (or the catch-all's empty one) when the gate refused the
            // request before routing or no route matched: never the path itself, which a client makes up
            String route = req.matchingPattern().filter(p -> !p.isEmpty())
                    .map(p -> req.prologue().method().text() + " " + p).orElse("unmatched");
            String model = res.headers().first(HeaderNames.create("x-hearth-model")).orElse("none");
            Counter.builder("hearth.http.requests").description("HTTP requests answered")
                    .tags("route", route, "model", model, "status", Integer.toString(res.status().code()))
                    .register(registry).increment();
        }
    }

    /** One answered call: who answered it, in how long, with what, for whom. */
    void answered(FallbackChain.Routed r, long nanos, String key, BigDecimal cost) {
        String model = r.answeredBy().id();
        String where = r.answeredBy().local() ? "local" : "remote";
        Timer.builder("hearth.time.to.first.token").description("time until the first token of an answer")
                .tags("model", model, "route", where).publishPercentileHistogram().register(registry)
                .record(r.timeToFirstToken());
        Timer.builder("hearth.call.duration").description("a call's time through the front door, end to end")
                .tags("model", model, "route", where).publishPercentileHistogram().register(registry)
                .record(Duration.ofNanos(nanos));
        var u = r.response().usage();
        tokens(model, key, "in", u.inputTokens());
        tokens(model, key, "out", u.outputTokens());
        if (cost != null && cost.signum() > 0) {
            Counter.builder("hearth.cost.usd").description("what answers cost, priced by the price table")
                    .tags("model", model, "key", key).register(registry).increment(cost.doubleValue());
        }
        var drafts = r.response().drafts();
        if (drafts.drafted() > 0) {
            Counter.builder("hearth.speculative.drafted.tokens").description("tokens speculative decoding drafted")
                    .tags("model", model).register(registry).increment(drafts.drafted());
            Counter.builder("hearth.speculative.accepted.tokens").description("drafted tokens the model confirmed")
                    .tags("model", model).register(registry).increment(drafts.accepted());
        }
        if (!r.hops().isEmpty()) {
            Counter.builder("hearth.fallbacks").description("calls answered by a fallback model")
                    .tags("model", model).register(registry).increment(r.hops().size());
        }
    }

    private void tokens(String model, String key, String direction, long n) {
        Counter.builder("hearth.tokens").description("tokens read (in) and written (out) by answers")
                .tags("model", model, "key", key, "direction", direction).register(registry).increment(n);
    }

    /** The Prometheus text exposition. */
    String scrape() {
        pools.register();
        return registry.scrape();
    }
}
