package dev.hearth.server;

import dev.hearth.router.EndpointPool;
import dev.hearth.runtime.Hearth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Each endpoint of each pool of servers in {@code /metrics}, labelled by model and endpoint (both from hearth.toml):
 * {@code hearth_pool_endpoint_healthy} (1, or 0 while ejected or probed), {@code hearth_pool_endpoint_outstanding},
 * and the counters {@code hearth_pool_endpoint_requests_total}, {@code _failures_total} and {@code _ejections_total}.
 * A pool opens on its model's first call, so its meters are registered at the scrape after that. Thread-safe.
 */
final class PoolMetrics {
    private final Hearth hearth;
    private final MeterRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    PoolMetrics(Hearth hearth, MeterRegistry registry) {
        this.hearth = hearth;
        this.registry = registry;
    }

    /** Registers the meters of endpoints not seen before. */
    void register() {
        hearth.endpointPools().forEach((model, endpoints) -> endpoints.forEach(e -> {
            String endpoint = e.endpoint().toString();
            if (!registered.add(model + " " + endpoint)) {
                return;
            }
            gauge("hearth.pool.endpoint.healthy", "1 while the endpoint takes requests, 0 while ejected or probed",
                    model, endpoint, s -> s.state().equals("healthy") ? 1 : 0);
            gauge("hearth.pool.endpoint.outstanding", "requests the endpoint is answering now", model, endpoint,
                    EndpointPool.EndpointStats::outstanding);
            counter("hearth.pool.endpoint.requests", "requests sent to the endpoint", model, endpoint,
                    EndpointPool.EndpointStats::requests);
            counter("hearth.pool.endpoint.failures", "requests the endpoint failed (5xx, timeouts, refused)", model,
                    endpoint, EndpointPool.EndpointStats::failures);
            counter("hearth.pool.endpoint.ejections", "times the endpoint was ejected", model, endpoint,
                    EndpointPool.EndpointStats::ejections);
        }));
    }

    private void gauge(String name, String description, String model, String endpoint,
            ToDoubleFunction<EndpointPool.EndpointStats> value) {
        Gauge.builder(name, hearth, h -> read(h, model, endpoint, value)).description(description)
                .tags("model", model, "endpoint", endpoint).register(registry);
    }

    private void counter(String name, String description, String model, String endpoint,
            ToDoubleFunction<EndpointPool.EndpointStats> value) {
        FunctionCounter.builder(name, hearth, h -> read(h, model, endpoint, value)).description(description)
                .tags("model", model, "endpoint", endpoint).register(registry);
    }

    private static double read(Hearth hearth, String model, String endpoint,
            ToDoubleFunction<EndpointPool.EndpointStats> value) {
        List<EndpointPool.EndpointStats> pool = hearth.endpointPools().getOrDefault(model, List.of());
        return pool.stream().filter(s -> s.endpoint().toString().equals(endpoint)).findFirst()
                .map(value::applyAsDouble).orElse(Double.NaN);
    }
}
