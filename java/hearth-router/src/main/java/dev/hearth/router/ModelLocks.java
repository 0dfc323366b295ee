package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Conversations and API keys locked to a model: later turns under {@code auto} go to the same model (the same voice,
 * and a warm KV prefix), unless it is unhealthy or a rule refuses it, which the decision's reason says. A session
 * takes its lock on the model that answers its first turn; a key's lock is set by {@link #lock}. A lock is released
 * by its caller ({@link #release}) or after {@link #idle()} without a turn. Kept in this process's memory only (shared
 * state moves to Redis with issue 23). Thread-safe.
 */
public final class ModelLocks {
    /** How long a lock lasts without a turn, unless HEARTH_LOCK_IDLE_MINUTES says otherwise. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

    /** Who holds a lock: a conversation ({@code session}) or an API key ({@code key}). */
    public record Holder(String kind, String name) {
        public static Holder session(String id) {
            return new Holder("session", id);
        }

        public static Holder key(String name) {
            return new Holder("key", name);
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    /** A lock: its holder, the model's id, when it was taken and when its last turn was. */
    public record Lock(Holder holder, String model, Instant since, Instant lastTurn) {
    }

    /** The decision with the lock applied, and what the lock did ("" when none applies). */
    record Applied(RouteDecision decision, String note) {
    }

    private final Clock clock;
    private final Duration idle;
    private final Map<Holder, Lock> locks = new ConcurrentHashMap<>();

    public ModelLocks(Clock clock, Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("a lock's idle timeout must be positive, not " + idle);
        }
        this.clock = clock;
        this.idle = idle;
    }

    /** From HEARTH_LOCK_IDLE_MINUTES (default 30), on the system clock. */
    public static ModelLocks fromEnvironment(Map<String, String> env) {
        String minutes = env.getOrDefault("HEARTH_LOCK_IDLE_MINUTES", "").strip();
        try {
            return new ModelLocks(Clock.systemUTC(), minutes.isEmpty() ? DEFAULT_IDLE
                    : Duration.ofMinutes(Long.parseLong(minutes)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HEARTH_LOCK_IDLE_MINUTES must be a positive whole number of minutes,"
                    + " not \"" + minutes + "\"");
        }
    }

    public Duration idle() {
        return idle;
    }

    /** The holder's lock, unless it has been idle for {@link #idle()} (then it is released). */
    public Optional<Lock> of(Holder h) {
        Instant now = clock.instant();
        Lock l = locks.computeIfPresent(h, (k, v) -> now.isBefore(v.lastTurn().plus(idle)) ? v : null);
        return Optional.ofNullable(l);
    }

    /** Locks {@code holder} to the model {@code model} (an id the router knows), replacing any lock it had. */
    public Lock lock(Holder holder, String model) {
        Instant now = clock.instant();
        Lock l = new Lock(holder, model, now, now);
        locks.put(holder, l);
        return l;
    }

    /** Releases the holder's lock; false when it had none. */
    public boolean release(Holder holder) {
        return locks.remove(holder) != null;
    }

    /**
     * After a turn answered: a session without a lock takes one on the model that answered; a lock whose model
     * answered counts the turn (its idle time starts again).
     */
    public void answered(RouteOptions options, ModelProfile answeredBy) {
        Instant now = clock.instant();
        for (Holder h : holders(options)) {
            Optional<Lock> held = of(h);
            if (held.isPresent()) {
                locks.computeIfPresent(h, (k, v) -> v.model().equals(answeredBy.id())
                        ? new Lock(h, v.model(), v.since(), now) : v);
            } else if (h.kind().equals("session")) {
                locks.putIfAbsent(h, new Lock(h, answeredBy.id(), now, now));
            }
        }
    }

    static List<Holder> holders(RouteOptions o) {
        List<Holder> out = new ArrayList<>(2);
        if (o.session() != null) {
            out.add(Holder.session(o.session()));
        }
        if (o.key() != null) {
            out.add(Holder.key(o.key()));
        }
        return out;
    }

    /**
     * Puts the locked model first in {@code d}'s chain (the rest stay its fallbacks) when the request's session, else
     * its key, holds a lock; {@code whyNot} says why a model may not take the request now (null: it may).
     */
    Applied apply(RouteDecision d, RouteOptions o, ModelRegistry registry, Function<ModelProfile, String> whyNot,
            ChatRequest r) {
        for (Holder h : holders(o)) {
            Lock lock = of(h).orElse(null);
            if (lock == null) {
                continue;
            }
            ModelProfile p = registry.find(lock.model()).orElse(null);
            if (p == null) {
                release(h);
                return new Applied(d, h + "'s lock on " + lock.model() + " is released: the model is gone");
            }
            String no = whyNot.apply(p);
            if (no != null) {
                return new Applied(d, h + " is locked to " + p.id() + ", set aside for this turn: " + no);
            }
            if (d instanceof RouteDecision.Reject) {
                return new Applied(d, "");
            }
            List<ModelProfile> chain = new ArrayList<>();
            chain.add(p);
            d.chain().stream().filter(m -> !m.equals(p)).forEach(chain::add);
            String note = h + " is locked to " + p.id() + " (since " + lock.since() + ")";
            return new Applied(Presets.rebuild(d, chain, note + "; without the lock: " + d.reason(), r), note);
        }
        return new Applied(d, "");
    }
}
