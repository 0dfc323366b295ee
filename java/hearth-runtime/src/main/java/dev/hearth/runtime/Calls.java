package dev.hearth.runtime;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Role;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerException;
import dev.hearth.ledger.Tokens;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PriceTable;
import dev.hearth.router.PrivacyGuard;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.SpendGate;
import dev.hearth.router.SpendRefusedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call through the front door, in the ledger: begun with its route decision, each remote hop held against the
 * budgets ({@link LedgerSpend}) before it is sent, its fallbacks and redactions as trace events, and finished with its
 * tokens, cost, savings against the baseline model, time and outcome. When the ledger cannot be written, a local call
 * still answers (the failure is logged and counted in {@link #unrecorded()}) and a remote one is refused before it is
 * sent while a budget is configured.
 */
final class Calls {
    /** Where a call came from: its face and who made it. */
    record Origin(EntryPoint entryPoint, Caller caller) {
        static final Origin JAVA_API = new Origin(EntryPoint.JAVA_API, Caller.ANONYMOUS);

        List<Budget.Scope> scopes() {
            List<Budget.Scope> out = new ArrayList<>();
            if (caller.keyName() != null) {
                out.add(Budget.Scope.key(caller.keyName()));
            }
            if (caller.agent() != null) {
                out.add(Budget.Scope.agent(caller.agent()));
            }
            return out;
        }
    }

    /** What runs the call along its chain with the spend gate given. */
    @FunctionalInterface
    interface Execution {
        FallbackChain.Routed run(SpendGate gate) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);
    private final Supplier<Ledger> ledger;
    private final PriceTable prices;
    private final boolean budgeted;
    private final ModelProfile baseline;
    private final java.util.function.Function<FallbackChain.Routed, java.util.Optional<BigDecimal>> costOf;
    private final AtomicLong unrecorded = new AtomicLong();
    private final Circuits circuits = new Circuits();
    // one writer for local calls, recorded after they answered; a full queue makes the caller write its own
    private final java.util.concurrent.ThreadPoolExecutor writer = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(10_000),
            Thread.ofPlatform().daemon(true).name("hearth-call-recorder").factory(),
            new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    /**
     * @param budgeted  whether the configuration sets a budget or the ledger is shared (the ledger's own budgets may
     *                  be unreadable when it fails): then a remote call the ledger cannot record is refused
     * @param baseline  the model savings are measured against (null: none)
     * @param costOf    what an answer cost (Hearth's one rule: the model the vendor reports, else the one asked)
     */
    Calls(Supplier<Ledger> ledger, PriceTable prices, boolean budgeted, ModelProfile baseline,
            java.util.function.Function<FallbackChain.Routed, java.util.Optional<BigDecimal>> costOf) {
        this.costOf = costOf;
        this.ledger = ledger;
        this.prices = prices;
        this.budgeted = budgeted;
        this.baseline = baseline;
    }

    /** What records circuit changes as the trace events of the calls that caused them. */
    Circuits circuits() {
        return circuits;
    }

    /** Calls that answered but could not be recorded (the ledger was unavailable). */
    long unrecorded() {
        return unrecorded.get();
    }

    FallbackChain.Routed run(ChatRequest request, RouteDecision decision, Origin origin, Execution execution)
            throws InterruptedException {
        if (!decision.chain().isEmpty() && decision.chain().stream().allMatch(ModelProfile::local)) {
            return runLocal(request, decision, origin, execution);
        }
        long start = System.nanoTime();
        Ledger l = open();
        String id = null;
        if (l != null) {
            try {
                id = l.begin(start(request, decision, origin));
            } catch (LedgerException e) {
                unavailable(e);
            }
        }
        SpendGate gate = id != null ? new LedgerSpend(l, id, prices, origin.scopes()) : budgeted ? REFUSE : SpendGate.NONE;
        circuits.begin();
        try {
            FallbackChain.Routed r = execution.run(gate);
            if (id != null) {
                finish(l, id, r, circuits.end(), start);
            }
            return r.withCallId(id);
        } catch (RuntimeException e) {
            if (id != null) {
                failed(l, id, e, circuits.end(), start);
            }
            throw e;
        } finally {
            circuits.end();
        }
    }

    /**
     * A call that can only run on this machine spends nothing, so nothing need be committed before it runs: it answers
     * first and is recorded after, off its request path, by one writer thread (inline when that one's queue is full).
     */
    private FallbackChain.Routed runLocal(ChatRequest request, RouteDecision decision, Origin origin,
            Execution execution) throws InterruptedException {
        long start = System.nanoTime();
        Ledger l = open();
        if (l == null) {
            return execution.run(SpendGate.NONE);
        }
        String id = l.newCallId();
        CallStart begun = start(request, decision, origin);
        circuits.begin();
        try {
            FallbackChain.Routed r = execution.run(SpendGate.NONE);
            List<Circuits.Change> changed = circuits.end();
            later(() -> {
                l.begin(id, begun);
                finish(l, id, r, changed, start);
            });
            return r.withCallId(id);
        } catch (RuntimeException e) {
            long took = (System.nanoTime() - start) / 1_000_000;
            List<Circuits.Change> changed = circuits.end();
            later(() -> {
                l.begin(id, begun);
                Circuits.record(l, id, changed);
                l.finish(id, CallEnd.failed(outcome(e), took));
            });
            throw e;
        } finally {
            circuits.end();
        }
    }

    /**
     * A call the response cache answers: {@code replay} gives the kept answer to the caller, then the call is recorded
     * off its request path as a local one is, from this machine (nothing was sent), with one cache hit, cost 0, what
     * the first answer cost as saved, and its {@link GenAi#EVENT_CACHE_HIT} event; a caller that left mid-replay is
     * recorded cancelled.
     */
    FallbackChain.Routed cached(ChatRequest request, RouteDecision decision, Origin origin, FallbackChain.Routed r,
            BigDecimal saved, Map<String, String> attributes, Runnable replay) {
        long start = System.nanoTime();
        Ledger l = open();
        String id = l == null ? null : l.newCallId();
        ModelProfile by = r.answeredBy();
        CallStart begun = start(request, decision, origin);
        CallStart atCache = new CallStart(begun.entryPoint(), begun.caller(), begun.taskClass(), "cache",
                "the response cache kept " + by.id() + "'s answer to " + (attributes.containsKey(
                        "hearth.cache.similarity") ? "a similar request (cosine " + attributes.get(
                        "hearth.cache.similarity") + ")" : "this request") + "; " + decision.reason(), by.id(),
                by.provider(), false, begun.prompt());
        try {
            replay.run();
        } catch (RuntimeException e) {
            long took = (System.nanoTime() - start) / 1_000_000;
            if (id != null) {
                later(() -> {
                    l.begin(id, atCache);
                    l.event(id, GenAi.EVENT_CACHE_HIT, attributes);
                    l.finish(id, CallEnd.failed(outcome(e), took));
                });
            }
            throw e;
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        if (id != null) {
            later(() -> {
                l.begin(id, atCache);
                l.event(id, GenAi.EVENT_CACHE_HIT, attributes);
                l.finish(id, new CallEnd(CallEnd.OK, Tokens.NONE, BigDecimal.ZERO, null, BigDecimal.ZERO, 0L, took, 0,
                        null, 1, by.id(), by.provider(), r.response().content()).withCacheHit(saved));
            });
        }
        return r.withCallId(id);
    }

    // the ledger, or null (counted and logged) when it cannot be opened
    private Ledger open() {
        try {
            return ledger.get();
        } catch (LedgerException | IllegalArgumentException | java.io.UncheckedIOException e) {
            unavailable(e);
            return null;
        }
    }

    private void unavailable(RuntimeException e) {
        unrecorded.incrementAndGet();
        LOG.warn("the ledger cannot record this call ({}); local models still answer{}", e.getMessage(),
                budgeted ? ", remote ones are refused while a budget is set" : "");
    }

    private void later(Runnable record) {
        writer.execute(() -> {
            try {
                record.run();
            } catch (LedgerException e) {
                unrecorded.incrementAndGet();
                LOG.warn("the ledger could not record a local call: {}", e.getMessage());
            }
        });
    }

    /** Waits until every call answered so far is written (or has failed to be). */
    void flush() throws InterruptedException {
        try {
            writer.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the call recorder stopped: " + e.getMessage(), e);
        }
    }

    /** Writes what is queued, then stops the writer (before the ledger closes). */
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("{} local calls were still waiting to be recorded at close", writer.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final SpendGate REFUSE = (model, request) -> {
        throw new SpendRefusedException("the ledger is unavailable, so spend on " + model.id() + " cannot be held"
                + " against the budget; the call was not sent");
    };

    private static CallStart start(ChatRequest request, RouteDecision decision, Origin origin) {
        ModelProfile first = decision.chain().isEmpty() ? null : decision.chain().getFirst();
        String route = switch (decision) {
            case RouteDecision.Local l -> "local";
            case RouteDecision.Remote r -> "remote";
            case RouteDecision.Reject r -> "rejected";
        };
        String prompt = request.messages().reversed().stream().filter(m -> m.role() == Role.USER)
                .map(ChatMessage::content).findFirst().orElse(null);
        return new CallStart(origin.entryPoint(), origin.caller(),
                decision.classification().taskClass().name().toLowerCase(java.util.Locale.ROOT), route,
                decision.reason(), first == null ? "none" : first.id(), first == null ? "none" : first.provider(),
                first != null && !first.local(), prompt);
    }

    private void finish(Ledger l, String id, FallbackChain.Routed r, List<Circuits.Change> changed, long start) {
        try {
            for (FallbackChain.Hop hop : r.hops()) {
                l.event(id, GenAi.EVENT_FALLBACK, Map.of("hearth.from", hop.from(), "hearth.to", hop.to(),
                        "hearth.why", hop.why()));
            }
            Circuits.record(l, id, changed);
            PrivacyGuard.Verdict privacy = r.privacy();
            if (privacy != null && !privacy.findings().isEmpty()) {
                l.event(id, GenAi.EVENT_REDACTED, Map.of("hearth.findings", String.join(", ", privacy.findings())));
            }
            Usage u = r.response().usage();
            ModelProfile by = r.answeredBy();
            Instant now = Instant.now();
            BigDecimal cost = costOf.apply(r).orElse(BigDecimal.ZERO);
            BigDecimal baselineCost = baseline == null ? BigDecimal.ZERO
                    : prices.cost(baseline.provider(), baseline.model(), u, now).orElse(BigDecimal.ZERO);
            long total = (System.nanoTime() - start) / 1_000_000;
            l.finish(id, new CallEnd(CallEnd.OK, new Tokens(u.inputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(),
                    u.outputTokens(), u.reasoningTokens()), cost, by.local() ? null : prices.asOf(), baselineCost,
                    r.timeToFirstToken().toMillis(), total,
                    r.hops().size(), privacy == null ? null : privacy.action().name().toLowerCase(java.util.Locale.ROOT),
                    0, by.id(), by.provider(), r.response().content()));
        } catch (LedgerException e) {
            unrecorded.incrementAndGet();
            LOG.warn("the ledger could not record the end of call {}: {}", id, e.getMessage());
        }
    }

    /** A call the caller gave up on was cancelled; any other failure is recorded by its type's name. */
    private static String outcome(RuntimeException e) {
        return e instanceof dev.hearth.api.CallCancelledException ? CallEnd.CANCELLED : e.getClass().getSimpleName();
    }

    private void failed(Ledger l, String id, RuntimeException e, List<Circuits.Change> changed, long start) {
        try {
            Circuits.record(l, id, changed);
            l.finish(id, CallEnd.failed(outcome(e), (System.nanoTime() - start) / 1_000_000));
        } catch (LedgerException x) {
            unrecorded.incrementAndGet();
            LOG.warn("the ledger could not record the failure of call {}: {}", id, x.getMessage());
        }
    }
}
