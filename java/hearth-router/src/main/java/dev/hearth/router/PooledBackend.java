package dev.hearth.router;

import dev.hearth.api.Capabilities;
import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ConversationKey;
import dev.hearth.api.ProviderException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model served by a pool of OpenAI-compatible servers, as one {@link ChatBackend}: each request goes where its
 * {@link EndpointPool} says (by its {@link ConversationKey}), and a request whose endpoint failed before any output
 * is tried on another healthy one; its outcome goes back to the pool. The endpoints are probed once when it is made
 * (so one down at start takes no request), then by a background thread every
 * {@link EndpointPool.Settings#probeEvery()}. Thread-safe; closing it stops the probes and closes the clients.
 */
public final class PooledBackend implements ChatBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledBackend.class);

    private final EndpointPool pool;
    private final Map<URI, ChatBackend> clients;
    private final ScheduledExecutorService prober;

    /**
     * @param clients one client per endpoint of {@code pool}, each without retries of its own
     * @param probing whether to probe at once and then in the background (tests call {@link EndpointPool#probeAll()}
     *                themselves)
     */
    public PooledBackend(EndpointPool pool, Map<URI, ChatBackend> clients, boolean probing) {
        this.pool = pool;
        this.clients = Map.copyOf(clients);
        if (!pool.stats().stream().allMatch(s -> this.clients.containsKey(s.endpoint()))) {
            throw new IllegalArgumentException("every endpoint of the pool of " + pool.model() + " needs a client");
        }
        if (probing) {
            try {
                pool.probeAtStart(); // before the first request: an endpoint down at start takes none
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            prober = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("hearth-pool-probe-" + pool.model()).factory());
            long every = pool.settings().probeEvery().toMillis();
            prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        } else {
            prober = null;
        }
    }

    private void probe() {
        try {
            pool.probeAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("{}: probing the pool failed: {}", pool.model(), dev.hearth.api.Secrets.redact(e.toString()));
        }
    }

    public EndpointPool pool() {
        return pool;
    }

    @Override
    public String name() {
        return clients.values().iterator().next().name();
    }

    @Override
    public Capabilities capabilities() {
        return clients.get(pool.stats().getFirst().endpoint()).capabilities();
    }

    @Override
    public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
        String conversation = ConversationKey.of(request.messages());
        Set<URI> tried = new HashSet<>();
        ProviderException last = null;
        while (true) {
            EndpointPool.Lease lease = pool.acquire(conversation, tried);
            if (lease == null) {
                throw last != null ? last : new ProviderException.ConnectionFailed(name(), "every endpoint of the"
                        + " pool of " + pool.model() + " is ejected (" + pool.stats().size() + " endpoints, none"
                        + " answered its last probe); start them or check their addresses in hearth.toml", null);
            }
            tried.add(lease.endpoint());
            try (lease) {
                ChatResponse r = clients.get(lease.endpoint()).stream(request, sink);
                lease.finished(EndpointPool.Outcome.ANSWERED, null);
                return r;
            } catch (ProviderException e) {
                EndpointPool.Outcome outcome = outcome(e);
                lease.finished(outcome, e);
                if (outcome == EndpointPool.Outcome.ANSWERED || e.partial() != null) {
                    throw e; // the request's own fault, or output already went to the caller
                }
                LOG.info("{}: endpoint {} failed ({}); trying another", pool.model(), lease.endpoint(),
                        e.getClass().getSimpleName());
                last = e;
            }
        }
    }

    /** What a failure says of the endpoint's health. */
    static EndpointPool.Outcome outcome(ProviderException e) {
        return switch (e) {
            case ProviderException.ConnectionFailed c -> EndpointPool.Outcome.UNREACHABLE;
            case ProviderException.ServerError s -> EndpointPool.Outcome.FAILED;
            case ProviderException.Overloaded o -> EndpointPool.Outcome.FAILED;
            case ProviderException.TimedOut t -> EndpointPool.Outcome.FAILED;
            case ProviderException.StreamBroken b -> EndpointPool.Outcome.FAILED;
            default -> EndpointPool.Outcome.ANSWERED;
        };
    }

    /** The endpoints' states and counts. */
    public List<EndpointPool.EndpointStats> stats() {
        return pool.stats();
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
        for (ChatBackend c : clients.values()) {
            if (c instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", c.name(), dev.hearth.api.Secrets.redact(e.toString()));
                }
            }
        }
    }
}
