package dev.hearth.router;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Health per model: a Resilience4j circuit breaker each (opens on a failure rate or a slow-call rate over the last
 * calls, lets a few probes through once its wait is over, closes when they succeed), and cool-downs for models whose
 * vendor asked us to wait. The clock is injected, so transitions are tested without sleeping.
 */
public final class HealthTracker {
    /** A model's health as {@code hearth ps} and the trace show it. */
    public record Health(String state, float failureRate, float slowCallRate, int calls) {
    }

    /** Told each time a model's circuit changes state (states in lower case: closed, open, half_open, ...). */
    @FunctionalInterface
    public interface Transitions {
        void changed(String model, String from, String to);
    }

    private final Clock clock;
    private final CircuitBreakerConfig config;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final List<Transitions> listeners = new CopyOnWriteArrayList<>();

    /** 50% failures or 80% calls slower than 30 s over the last 20 calls (5 at least) open a circuit for 30 s. */
    public HealthTracker(Clock clock) {
        this(clock, CircuitBreakerConfig.custom().failureRateThreshold(50).slowCallRateThreshold(80)
                .slowCallDurationThreshold(Duration.ofSeconds(30)).slidingWindowSize(20).minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(2)
                .currentTimestampFunction(c -> clock.millis(), TimeUnit.MILLISECONDS).build());
    }

    public HealthTracker(Clock clock, CircuitBreakerConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /** Tells {@code listener} of every circuit change from now on, on the thread that caused it. */
    public void onTransition(Transitions listener) {
        listeners.add(listener);
    }

    private CircuitBreaker breaker(String model) {
        return breakers.computeIfAbsent(model, m -> {
            CircuitBreaker b = new CircuitBreakerStateMachine(m, config, clock);
            b.getEventPublisher().onStateTransition(e -> {
                String from = e.getStateTransition().getFromState().name().toLowerCase(java.util.Locale.ROOT);
                String to = e.getStateTransition().getToState().name().toLowerCase(java.util.Locale.ROOT);
                listeners.forEach(l -> l.changed(m, from, to));
            });
            return b;
        });
    }

    /** Whether a call may go to the model now; a true answer takes one of a half-open circuit's probes. */
    public boolean tryAcquire(String model) {
        return breaker(model).tryAcquirePermission();
    }

    /**
     * A call of {@code model} that answered. A local model's slowness is the machine's load (a busy CPU, other
     * requests), not the model's health: only a remote model's slow calls count toward opening its circuit; a local
     * one on a saturated machine would otherwise be shut off, with nothing to fall back to.
     */
    public void success(ModelProfile model, Duration took) {
        success(model.id(), model.local() ? Duration.ZERO : took);
    }

    /** A call of {@code model} that failed; as {@link #success(ModelProfile, Duration)}, slowness counts when remote. */
    public void failure(ModelProfile model, Duration took, Throwable error) {
        failure(model.id(), model.local() ? Duration.ZERO : took, error);
    }

    public void success(String model, Duration took) {
        breaker(model).onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void failure(String model, Duration took, Throwable error) {
        breaker(model).onError(took.toNanos(), TimeUnit.NANOSECONDS, error);
    }

    /** The vendor said to wait: the model is skipped until then. */
    public void coolDown(String model, Duration wait) {
        breaker(model).transitionToOpenStateFor(wait);
    }

    /** A call that was granted but never made (the request was refused before sending). */
    public void release(String model) {
        breaker(model).releasePermission();
    }

    public Health health(String model) {
        CircuitBreaker b = breaker(model);
        return new Health(b.getState().name().toLowerCase(java.util.Locale.ROOT), b.getMetrics().getFailureRate(),
                b.getMetrics().getSlowCallRate(), b.getMetrics().getNumberOfBufferedCalls());
    }
}
