package dev.hearth.router;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of one model that a pool of OpenAI-compatible endpoints serves (vLLM, llama-server, Ollama, other
 * Hearth instances), and which one takes each request. The stages, in order: healthy endpoints only (a
 * {@link HealthTracker} circuit per endpoint: ejected after {@code ejectAfter} failures in a row, at once when its
 * connection is refused; re-admitted when a probe succeeds once the ejection time is over); then the conversation's
 * endpoint while it is healthy (its prefix cache is warm); else one that reports the conversation in its prefix
 * cache; then the least outstanding requests. Every endpoint is probed once before the first request
 * ({@link #probeAtStart()}), so one that is down at start takes none. The clock and the probe are injected, so every rule is tested without
 * sockets or sleeping. Thread-safe: choosing is synchronized, counters are atomic.
 */
public final class EndpointPool {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPool.class);

    /**
     * How a pool judges its endpoints.
     *
     * @param ejectAfter      failures in a row (5xx, timeouts, broken streams, failed probes) that eject an endpoint
     * @param ejection        how long an ejected endpoint is left alone before a probe may re-admit it
     * @param probeEvery      how often every endpoint is probed (health and warm prefixes)
     * @param affinityEntries conversations remembered (least recently used forgotten first)
     */
    public record Settings(int ejectAfter, Duration ejection, Duration probeEvery, int affinityEntries) {
        public Settings {
            if (ejectAfter < 1 || ejection.isNegative() || ejection.isZero() || probeEvery.isNegative()
                    || probeEvery.isZero() || affinityEntries < 0) {
                throw new IllegalArgumentException("a pool needs ejectAfter >= 1, a positive ejection and probe"
                        + " interval, and affinityEntries >= 0");
            }
        }

        /** Three failures in a row eject for 10 s; probes every 5 s; 10,000 conversations remembered. */
        public static Settings defaults() {
            return new Settings(3, Duration.ofSeconds(10), Duration.ofSeconds(5), 10_000);
        }

        public Settings withEjection(Duration d) {
            return new Settings(ejectAfter, d, probeEvery, affinityEntries);
        }

        public Settings withProbeEvery(Duration d) {
            return new Settings(ejectAfter, ejection, d, affinityEntries);
        }
    }

    /** Checks one endpoint: whether it answers, and the conversations its prefix caches hold. */
    @FunctionalInterface
    public interface Probe {
        /** What a probe found. */
        record Result(boolean healthy, Set<String> warm) {
            public Result {
                warm = Set.copyOf(warm);
            }

            public static final Result DOWN = new Result(false, Set.of());
        }

        Result probe(URI endpoint) throws InterruptedException;
    }

    /** One endpoint as the dashboard and {@code /metrics} show it. */
    public record EndpointStats(URI endpoint, String state, int outstanding, long requests, long failures,
            long ejections, int warmConversations) {
    }

    /** Why a request failed, as far as its endpoint's health is concerned. */
    public enum Outcome {
        /** It answered (an error of the request's own, such as a 400, is an answer too). */
        ANSWERED,
        /** A server error, a timeout or a broken stream: counts toward ejection. */
        FAILED,
        /** The connection was refused or reset before anything came: ejected at once. */
        UNREACHABLE
    }

    private final class Member {
        final URI uri;
        final String key;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong ejections = new AtomicLong();
        volatile Set<String> warm = Set.of();

        Member(URI uri) {
            this.uri = uri;
            this.key = uri.toString();
        }

        String state() {
            String s = health.health(key).state();
            return switch (s) {
                case "closed" -> "healthy";
                case "half_open" -> "probing";
                default -> "ejected";
            };
        }
    }

    /** A request's hold on one endpoint; closing it ends the request's count as outstanding. */
    public final class Lease implements AutoCloseable {
        private final Member member;
        private final long started;
        private boolean done;
        private boolean judged;

        private Lease(Member member) {
            this.member = member;
            this.started = clock.millis();
        }

        public URI endpoint() {
            return member.uri;
        }

        /** How the request ended, for the endpoint's health. */
        public void finished(Outcome outcome, Throwable error) {
            judged = true;
            Duration took = Duration.ofMillis(Math.max(0, clock.millis() - started));
            switch (outcome) {
                case ANSWERED -> health.success(member.key, took);
                case FAILED -> {
                    member.failures.incrementAndGet();
                    health.failure(member.key, took, error);
                }
                case UNREACHABLE -> {
                    member.failures.incrementAndGet();
                    health.coolDown(member.key, settings.ejection());
                }
            }
        }

        /** Ends the hold; a request that ended without an outcome (cancelled) gives back a probe's permission. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                member.outstanding.decrementAndGet();
                if (!judged) {
                    health.release(member.key);
                }
            }
        }
    }

    private final String model;
    private final List<Member> members;
    private final Settings settings;
    private final Clock clock;
    private final Probe probe;
    private final HealthTracker health;
    private final Map<String, Member> affinity; // guarded by this

    /**
     * @param model     the model's id, for messages and logs
     * @param endpoints the servers' base URLs (at least one, each once)
     */
    public EndpointPool(String model, List<URI> endpoints, Settings settings, Clock clock, Probe probe) {
        if (endpoints.isEmpty() || Set.copyOf(endpoints).size() != endpoints.size()) {
            throw new IllegalArgumentException("the pool of " + model + " needs at least one endpoint, each once");
        }
        this.model = model;
        this.members = endpoints.stream().map(Member::new).toList();
        this.settings = settings;
        this.clock = clock;
        this.probe = probe;
        this.health = new HealthTracker(clock, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.ejectAfter()).minimumNumberOfCalls(settings.ejectAfter())
                .failureRateThreshold(100).slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1)) // a busy server is slow, not broken
                .waitDurationInOpenState(settings.ejection()).permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(e -> true)
                .currentTimestampFunction(c -> clock.millis(), TimeUnit.MILLISECONDS).build());
        this.affinity = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Member> eldest) {
                return size() > settings.affinityEntries();
            }
        };
        health.onTransition((endpoint, from, to) -> {
            if (to.equals("closed")) {
                LOG.info("{}: endpoint {} is re-admitted ({} -> {})", model, endpoint, from, to);
            } else if (to.equals("open") && !from.equals("open")) { // a longer ejection of an ejected one is not new
                member(endpoint).ejections.incrementAndGet();
                LOG.warn("{}: endpoint {} is ejected for {} ms ({} -> {})", model, endpoint,
                        settings.ejection().toMillis(), from, to);
            }
        });
    }

    private Member member(String key) {
        return members.stream().filter(m -> m.key.equals(key)).findFirst().orElseThrow();
    }

    public String model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The endpoint for a request of {@code conversation} (a {@link dev.hearth.api.ConversationKey}), skipping
     * {@code tried}; null when none is admitted and none is due for a probe. When every healthy endpoint is in
     * {@code tried} or none is healthy, an ejected one whose time is over takes the request as its probe.
     */
    public synchronized Lease acquire(String conversation, Set<URI> tried) {
        List<Member> healthy = new ArrayList<>();
        for (Member m : members) {
            if (!tried.contains(m.uri) && m.state().equals("healthy")) {
                healthy.add(m);
            }
        }
        Member chosen;
        if (healthy.isEmpty()) {
            chosen = members.stream().filter(m -> !tried.contains(m.uri) && !m.state().equals("healthy")
                    && health.tryAcquire(m.key)).findFirst().orElse(null);
            if (chosen == null) {
                return null;
            }
        } else {
            Member sticky = conversation == null ? null : affinity.get(conversation);
            if (sticky != null && healthy.contains(sticky)) {
                chosen = sticky;
            } else {
                List<Member> warm = conversation == null ? List.of()
                        : healthy.stream().filter(m -> m.warm.contains(conversation)).toList();
                chosen = (warm.isEmpty() ? healthy : warm).stream()
                        .min(Comparator.<Member>comparingInt(m -> m.outstanding.get())
                                .thenComparingLong(m -> m.requests.get()))
                        .orElseThrow();
            }
        }
        if (conversation != null && settings.affinityEntries() > 0) {
            affinity.put(conversation, chosen);
        }
        chosen.outstanding.incrementAndGet();
        chosen.requests.incrementAndGet();
        return new Lease(chosen);
    }

    /**
     * Probes every endpoint once, together, before the pool takes its first request: one that does not answer is
     * ejected at once (it has never answered, so one failed probe says what a refused connection says), so no request
     * goes to it until a probe after its ejection re-admits it; one that answers starts with its warm conversations.
     * Waits at most as long as the slowest probe.
     */
    public void probeAtStart() throws InterruptedException {
        List<Thread> probes = members.stream().map(m -> Thread.ofVirtual().name("hearth-pool-first-probe")
                .start(() -> firstProbe(m))).toList();
        for (Thread t : probes) {
            t.join();
        }
    }

    private void firstProbe(Member m) {
        Probe.Result r;
        try {
            r = probe.probe(m.uri);
        } catch (InterruptedException e) {
            return; // the pool is closing
        } catch (RuntimeException e) {
            LOG.debug("{}: first probe of {} failed: {}", model, m.uri, e.toString());
            r = Probe.Result.DOWN;
        }
        if (r.healthy()) {
            m.warm = r.warm();
        } else {
            health.coolDown(m.key, settings.ejection());
        }
    }

    /**
     * Probes every endpoint once: a healthy one's answer refreshes its warm conversations (a failed probe counts as a
     * failure); an ejected one whose time is over is probed, and re-admitted when it answers.
     */
    public void probeAll() throws InterruptedException {
        for (Member m : members) {
            String state = m.state();
            if (!state.equals("healthy") && !health.tryAcquire(m.key)) {
                continue; // still ejected, or a probe is under way
            }
            long started = clock.millis();
            Probe.Result r;
            try {
                r = probe.probe(m.uri);
            } catch (InterruptedException e) {
                health.release(m.key); // the probe's permission, for the next one
                throw e;
            } catch (RuntimeException e) {
                LOG.debug("{}: probe of {} failed: {}", model, m.uri, e.toString());
                r = Probe.Result.DOWN;
            }
            Duration took = Duration.ofMillis(Math.max(0, clock.millis() - started));
            if (r.healthy()) {
                m.warm = r.warm();
                health.success(m.key, took);
            } else {
                m.warm = Set.of();
                if (state.equals("healthy")) {
                    health.failure(m.key, took, new IllegalStateException("the probe found it down"));
                } else {
                    health.coolDown(m.key, settings.ejection()); // still down: another full ejection
                }
            }
        }
    }

    /** Each endpoint's state and counts, in the configured order. */
    public List<EndpointStats> stats() {
        return members.stream().map(m -> new EndpointStats(m.uri, m.state(), m.outstanding.get(), m.requests.get(),
                m.failures.get(), m.ejections.get(), m.warm.size())).toList();
    }
}
