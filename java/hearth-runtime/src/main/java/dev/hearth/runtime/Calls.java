package dev.hearth.runtime;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Role;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Completion;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerException;
import dev.hearth.ledger.Recorder;
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
    /** Where a call came from: its face and who made it; {@code onCallId} is told the call's id before it runs. */
    record Origin(EntryPoint entryPoint, Caller caller, java.util.function.Consumer<String> onCallId) {
        static final Origin JAVA_API = new Origin(EntryPoint.JAVA_API, Caller.ANONYMOUS);

        Origin {
            onCallId = onCallId == null ? id -> { } : onCallId;
        }

        Origin(EntryPoint entryPoint, Caller caller) {
            this(entryPoint, caller, null);
        }

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
    // one writer for every call's end (and a local call's start), up to 100 calls per transaction; when its queue is
    // full, the caller writes its own
    private Recorder recorder;
    private boolean closed;

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
        Recorder r = currentRecorder();
        return unrecorded.get() + (r == null ? 0 : r.failed());
    }

    FallbackChain.Routed run(ChatRequest request, RouteDecision decision, Origin origin, Execution execution)
            throws InterruptedException {
        if (!decision.chain().isEmpty() && decision.chain().stream().allMatch(ModelProfile::local)) {
            return runLocal(request, decision, origin, execution);
        }
        long start = System.nanoTime();
        Instant at = Instant.now();
        Ledger l = open();
        CallStart begun = start(request, decision, origin);
        LedgerSpend spend = l == null ? null
                : new LedgerSpend(l, l.newCallId(), begun, prices, origin.scopes(), budgeted, this::unavailable);
        SpendGate gate = spend != null ? spend : budgeted ? REFUSE : SpendGate.NONE;
        if (spend != null) {
            origin.onCallId().accept(spend.callId());
        }
        circuits.begin();
        try {
            FallbackChain.Routed r = execution.run(gate);
            List<Circuits.Change> changed = circuits.end();
            if (spend == null || spend.unrecordable()) {
                return r;
            }
            record(l, new Completion(spend.callId(), spend.begun() ? null : new Completion.Begun(begun, at),
                    events(r, changed), spend.settlements(), end(r, start)));
            return r.withCallId(spend.callId());
        } catch (RuntimeException e) {
            List<Circuits.Change> changed = circuits.end();
            if (spend != null && !spend.unrecordable()) {
                record(l, new Completion(spend.callId(), spend.begun() ? null : new Completion.Begun(begun, at),
                        failureEvents(e, changed), spend.settlements(), failedEnd(e, start, decision.chosen())));
            }
            throw e;
        } finally {
            circuits.end();
        }
    }

    /**
     * A call that can only run on this machine spends nothing, so nothing need be committed before it runs: it answers
     * first and is recorded after, start and end together, off its request path.
     */
    private FallbackChain.Routed runLocal(ChatRequest request, RouteDecision decision, Origin origin,
            Execution execution) throws InterruptedException {
        long start = System.nanoTime();
        Instant at = Instant.now();
        Ledger l = open();
        if (l == null) {
            return execution.run(SpendGate.NONE);
        }
        String id = l.newCallId();
        Completion.Begun begun = new Completion.Begun(start(request, decision, origin), at);
        origin.onCallId().accept(id);
        circuits.begin();
        try {
            FallbackChain.Routed r = execution.run(SpendGate.NONE);
            List<Circuits.Change> changed = circuits.end();
            record(l, new Completion(id, begun, events(r, changed), List.of(), end(r, start)));
            return r.withCallId(id);
        } catch (RuntimeException e) {
            List<Circuits.Change> changed = circuits.end();
            record(l, new Completion(id, begun, failureEvents(e, changed), List.of(), failedEnd(e, start,
                    decision.chosen())));
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
        Instant at = Instant.now();
        Ledger l = open();
        String id = l == null ? null : l.newCallId();
        ModelProfile by = r.answeredBy();
        CallStart begun = start(request, decision, origin);
        Completion.Begun atCache = new Completion.Begun(new CallStart(begun.entryPoint(), begun.caller(),
                begun.taskClass(), "cache", "the response cache kept " + by.id() + "'s answer to "
                        + (attributes.containsKey("hearth.cache.similarity") ? "a similar request (cosine "
                                + attributes.get("hearth.cache.similarity") + ")" : "this request") + "; "
                        + decision.reason(), by.id(), by.provider(), false, begun.prompt()), at);
        List<Completion.Event> hit = List.of(new Completion.Event(GenAi.EVENT_CACHE_HIT, attributes));
        if (id != null) {
            origin.onCallId().accept(id);
        }
        try {
            replay.run();
        } catch (RuntimeException e) {
            if (id != null) {
                record(l, new Completion(id, atCache, hit, List.of(), failedEnd(e, start)));
            }
            throw e;
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        if (id != null) {
            record(l, new Completion(id, atCache, hit, List.of(), new CallEnd(CallEnd.OK, Tokens.NONE,
                    BigDecimal.ZERO, null, BigDecimal.ZERO, 0L, took, 0, null, 1, by.id(), by.provider(),
                    r.response().content()).withCacheHit(saved)));
        }
        return r.withCallId(id);
    }

    /** Work outside the chat path that runs on this machine (an embeddings request). */
    @FunctionalInterface
    interface LocalWork<T> {
        T run() throws InterruptedException;
    }

    /**
     * A call outside the chat path that runs on this machine (an embeddings request): like a local chat call it spends
     * nothing, answers first and is recorded after, start and end together, off its request path, with cost 0 and the
     * tokens {@code tokens} reads from what it answered; a failure is recorded by its type's name.
     */
    <T> T local(CallStart start, Origin origin, LocalWork<T> work, java.util.function.Function<T, Tokens> tokens)
            throws InterruptedException {
        long began = System.nanoTime();
        Instant at = Instant.now();
        Ledger l = open();
        if (l == null) {
            return work.run();
        }
        String id = l.newCallId();
        Completion.Begun begun = new Completion.Begun(start, at);
        origin.onCallId().accept(id);
        T result;
        try {
            result = work.run();
        } catch (RuntimeException e) {
            record(l, new Completion(id, begun, List.of(), List.of(), failedEnd(e, began)));
            throw e;
        }
        record(l, new Completion(id, begun, List.of(), List.of(), new CallEnd(CallEnd.OK, tokens.apply(result),
                BigDecimal.ZERO, null, BigDecimal.ZERO, null, (System.nanoTime() - began) / 1_000_000, 0, null, 0,
                start.model(), start.provider(), null)));
        return result;
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

    // hands a finished call to the recorder; writes it here when the recorder's queue is full or it has closed
    private void record(Ledger l, Completion done) {
        Recorder r = recorder(l);
        try {
            if (r != null && r.submit(done)) {
                return;
            }
        } catch (IllegalStateException closedMeanwhile) {
            // written below
        }
        try {
            l.complete(List.of(done));
        } catch (LedgerException | IllegalArgumentException e) {
            unrecorded.incrementAndGet();
            LOG.warn("the ledger could not record call {}: {}", done.callId(), e.getMessage());
        }
    }

    /**
     * Up to 16 calls per transaction: SQLite has one writer, and a request's start (with its budget hold) waits for
     * the recorder's transaction to end. A batch of 100 held that lock ~30 ms under 100 concurrent streams (JFR's
     * lock waits in the server bench); 16 keeps the wait to a few ms and still shares each commit.
     */
    private synchronized Recorder recorder(Ledger l) {
        if (recorder == null && !closed) {
            recorder = new Recorder(l, 16, 10_000);
        }
        return recorder;
    }

    private synchronized Recorder currentRecorder() {
        return recorder;
    }

    /** Waits until every call answered so far is written (or has failed to be). */
    void flush() throws InterruptedException {
        Recorder r = currentRecorder();
        if (r != null) {
            r.flush();
        }
    }

    /** Writes what is queued, then stops the writer (before the ledger closes). */
    void close() {
        Recorder r;
        synchronized (this) {
            closed = true;
            r = recorder;
        }
        if (r != null) {
            r.close();
        }
    }

    private static final SpendGate REFUSE = (model, request) -> {
        throw new SpendRefusedException("the ledger is unavailable, so spend on " + model.id() + " cannot be held"
                + " against the budget; the call was not sent");
    };

    private static CallStart start(ChatRequest request, RouteDecision decision, Origin origin) {
        ModelProfile first = decision.chosen();
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

    // the trace events a call raised on its way: its fallbacks, circuit changes and redactions
    private static List<Completion.Event> events(FallbackChain.Routed r, List<Circuits.Change> changed) {
        List<Completion.Event> out = new ArrayList<>();
        for (FallbackChain.Hop hop : r.hops()) {
            out.add(new Completion.Event(GenAi.EVENT_FALLBACK, Map.of("hearth.from", hop.from(), "hearth.to",
                    hop.to(), "hearth.why", hop.why())));
        }
        out.addAll(Circuits.events(changed));
        PrivacyGuard.Verdict privacy = r.privacy();
        if (privacy != null && !privacy.findings().isEmpty()) {
            out.add(new Completion.Event(GenAi.EVENT_REDACTED, Map.of("hearth.findings",
                    String.join(", ", privacy.findings()))));
        }
        return out;
    }

    // a failed call's circuit changes, and what the privacy guard refused to send (the kinds, never the secrets)
    private static List<Completion.Event> failureEvents(RuntimeException e, List<Circuits.Change> changed) {
        List<Completion.Event> out = new ArrayList<>(Circuits.events(changed));
        if (e instanceof dev.hearth.router.PrivacyRefusedException refused) {
            out.add(new Completion.Event(GenAi.EVENT_REFUSED, Map.of("hearth.findings",
                    String.join(", ", refused.findings()))));
        }
        return out;
    }

    private CallEnd end(FallbackChain.Routed r, long start) {
        Usage u = r.response().usage();
        ModelProfile by = r.answeredBy();
        Instant now = Instant.now();
        BigDecimal cost = costOf.apply(r).orElse(BigDecimal.ZERO);
        BigDecimal baselineCost = baseline == null ? BigDecimal.ZERO
                : prices.cost(baseline.provider(), baseline.model(), u, now).orElse(BigDecimal.ZERO);
        long total = (System.nanoTime() - start) / 1_000_000;
        PrivacyGuard.Verdict privacy = r.privacy();
        return new CallEnd(CallEnd.OK, Tokens.of(u), cost, by.local() ? null : prices.asOf(), baselineCost,
                r.timeToFirstToken().toMillis(), total, r.hops().size(),
                privacy == null ? null : privacy.action().name().toLowerCase(java.util.Locale.ROOT), 0, by.id(),
                by.provider(), r.response().content()).withDrafts(r.response().drafts().drafted(),
                r.response().drafts().accepted());
    }

    private static CallEnd failedEnd(RuntimeException e, long start) {
        return CallEnd.failed(outcome(e), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * A failed call's end; one its caller left keeps the tokens it had used by then and, when the model it was routed
     * to is remote, what they cost at that model's price (the vendor bills a stream up to where it was cut). A call
     * that fell back before it was cut is priced as the first model of its chain: the chain does not say which hop
     * the caller left.
     */
    private CallEnd failedEnd(RuntimeException e, long start, ModelProfile routedTo) {
        if (!(e instanceof dev.hearth.api.CallCancelledException left) || left.usedSoFar().isEmpty()
                || routedTo == null) {
            return failedEnd(e, start);
        }
        Usage u = left.usedSoFar().get();
        boolean remote = !routedTo.local();
        BigDecimal cost = remote ? prices.cost(routedTo.provider(), routedTo.model(), u, Instant.now())
                .orElse(BigDecimal.ZERO) : BigDecimal.ZERO;
        return new CallEnd(CallEnd.CANCELLED, Tokens.of(u), cost, remote ? prices.asOf() : null, BigDecimal.ZERO, null,
                (System.nanoTime() - start) / 1_000_000, 0, null, 0, routedTo.id(), routedTo.provider(), null);
    }

    /** A call the caller gave up on was cancelled; any other failure is recorded by its type's name. */
    private static String outcome(RuntimeException e) {
        return e instanceof dev.hearth.api.CallCancelledException ? CallEnd.CANCELLED : e.getClass().getSimpleName();
    }
}
