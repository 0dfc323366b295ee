package dev.hearth.runtime;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.BackendTarget;
import dev.hearth.router.EndpointPool;
import dev.hearth.router.HearthConfig;
import dev.hearth.router.HttpProbe;
import dev.hearth.router.PooledBackend;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the pool of servers a hearth.toml [[model]] lists under {@code endpoints}: one client per server through the
 * backend that serves the model (without retries of its own: the pool tries another server), an {@link EndpointPool}
 * over them, probed over HTTP. {@code HEARTH_POOL_PROBE_SECONDS} and {@code HEARTH_POOL_EJECT_SECONDS} change how often
 * servers are probed (5) and how long an ejected one is left alone (10). Stateless.
 */
final class EndpointPools {
    private EndpointPools() {
    }

    static PooledBackend open(String model, HearthConfig.Endpoint endpoint, BackendTarget target,
            BackendProvider provider, Map<String, String> env) {
        EndpointPool.Settings settings = EndpointPool.Settings.defaults();
        settings = settings.withProbeEvery(seconds(env, "HEARTH_POOL_PROBE_SECONDS", settings.probeEvery()))
                .withEjection(seconds(env, "HEARTH_POOL_EJECT_SECONDS", settings.ejection()));
        Map<URI, ChatBackend> clients = new LinkedHashMap<>();
        for (URI server : endpoint.pool()) {
            Map<String, String> own = new HashMap<>(target.settings());
            own.put(BackendTarget.MAX_RETRIES, "0");
            clients.put(server, provider.connect(new BackendTarget(target.id(), target.provider(), target.model(),
                    null, server, own)));
        }
        // the clients above checked the key (their backend's rule, which refuses a malformed one)
        String key = endpoint.apiKeyEnv() == null ? "" : env.getOrDefault(endpoint.apiKeyEnv(), "").strip();
        EndpointPool pool = new EndpointPool(model, endpoint.pool(), settings, Clock.systemUTC(),
                new HttpProbe(Duration.ofSeconds(5), key));
        return new PooledBackend(pool, clients, true);
    }

    private static Duration seconds(Map<String, String> env, String name, Duration otherwise) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            double s = Double.parseDouble(v.strip());
            if (s > 0 && s <= 86_400) {
                return Duration.ofMillis((long) (s * 1000));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a number of seconds above 0 (e.g. 5 or 0.5), not \""
                + v + "\"");
    }
}
