package dev.hearth.runtime;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.LedgerException;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several models answer the same request and the tournament says how far they agree ({@link Agreement}). Every
 * candidate is an ordinary call through the front door ({@link Hearth#stream}) with a decision for that one model (no
 * fallback to another: each voice is its own), so its cost and trace land in the ledger; the spend of all of them is
 * held before any is sent ({@link TournamentHolds}). They run at once, or, with {@code until_agree}, cheapest first in
 * waves until enough agree. Each candidate's call gets a {@value #EVENT} trace event naming the tournament, its verdict
 * and, after an early stop, what the stop saved. Thread-safe: one per tournament or shared.
 */
public final class Tournament {
    /** The trace event each candidate's call gets once the tournament decided. */
    public static final String EVENT = "hearth.tournament";
    private final Hearth hearth;

    public Tournament(Hearth hearth) {
        this.hearth = hearth;
    }

    /** One model in the tournament: its decision, and the most it may cost (for cheapest-first). */
    private record Entrant(ModelProfile model, RouteDecision decision, BigDecimal estimate) {
    }

    /**
     * Runs a tournament for {@code request} as {@code caller} from {@code entry}. Refused before anything is sent
     * when a model cannot be asked or the budgets cannot hold them all.
     */
    public TournamentResult run(ChatRequest request, TournamentOptions options, EntryPoint entry, Caller caller)
            throws InterruptedException {
        List<Entrant> entrants = entrants(request, options);
        boolean structured = request.responseFormat() instanceof ResponseFormat.JsonSchema
                || request.responseFormat() instanceof ResponseFormat.JsonObject;
        // loaded before anything is sent: a missing embedder must not cost a tournament's worth of calls
        Agreement agreement = structured ? Agreement.structured()
                : Agreement.text(hearth.embedder(null), options.threshold());
        if (options.untilAgree() > 0) {
            entrants = entrants.stream().sorted(Comparator.comparing(Entrant::estimate)).toList();
        }
        String id = "tournament-" + java.util.UUID.randomUUID();
        TournamentHolds holds = TournamentHolds.reserve(hearth, id, entrants.stream().map(Entrant::model).toList(),
                request, new Calls.Origin(entry, caller).scopes());
        List<TournamentResult.Candidate> asked = new ArrayList<>();
        try {
            int k = options.untilAgree();
            int next = 0;
            int wave = k > 0 ? k : entrants.size();
            while (next < entrants.size()) {
                int end = Math.min(entrants.size(), next + wave);
                asked.addAll(wave(request, entrants.subList(next, end), next, holds, entry, caller));
                next = end;
                if (k == 0) {
                    break;
                }
                List<String> answers = answers(asked);
                int agreeing = agreement.decide(agreement.matrix(answers), answers).group().size();
                if (agreeing >= k) {
                    break;
                }
                wave = k - agreeing; // the fewest more that could make k agree
            }
        } finally {
            holds.releaseAll();
        }
        List<String> answers = answers(asked);
        double[][] m = agreement.matrix(answers);
        Agreement.Decision d = agreement.decide(m, answers);
        List<Entrant> skipped = entrants.subList(asked.size(), entrants.size());
        TournamentResult.EarlyStop early = options.untilAgree() == 0 ? null : new TournamentResult.EarlyStop(
                options.untilAgree(), skipped.stream().map(e -> e.model().id()).toList(), saved(skipped, asked));
        List<List<Double>> matrix = new ArrayList<>();
        for (double[] row : m) {
            matrix.add(java.util.Arrays.stream(row).boxed().toList());
        }
        TournamentResult result = new TournamentResult(d.verdict(), d.chosen(), asked, matrix, agreement.basis(),
                early);
        record(id, result);
        return result;
    }

    /**
     * The models a tournament would ask, in order, without asking them: for a face that checks each against the
     * caller's rights first, then runs the tournament with exactly these.
     */
    public List<String> plan(ChatRequest request, TournamentOptions options) {
        return entrants(request, options).stream().map(e -> e.model().id()).toList();
    }

    /**
     * The tournament hearth.toml's {@code [tournament]} asks for {@code request}: when it names no model ({@code auto})
     * and the router classes it as a critical task class, or it names a critical agent ({@code agent:NAME}); empty
     * otherwise (a model the request names is the user's choice, answered alone).
     */
    public java.util.Optional<TournamentOptions> configured(ChatRequest request) {
        var rule = hearth.router().file().tournament();
        String model = request.model().strip();
        if (rule.critical().isEmpty() || !(model.isEmpty() || model.equals("auto") || model.startsWith("agent:"))) {
            return java.util.Optional.empty();
        }
        String agent = model.startsWith("agent:") ? model.substring(6) : null;
        String taskClass = hearth.explain(request).classification().taskClass().name()
                .toLowerCase(java.util.Locale.ROOT);
        if (!rule.critical(taskClass, agent)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new TournamentOptions(rule.models(), rule.n(), rule.untilAgree(),
                rule.threshold()));
    }

    /**
     * The tournament hearth.toml's {@code [tournament]} asks for {@code request} ({@link #configured}), run as
     * {@code caller} from {@code entry}; empty, running nothing, when it asks none. {@link Hearth#chat} answers with its
     * chosen candidate, and every face that answers requests applies this one rule.
     */
    public java.util.Optional<TournamentResult> critical(ChatRequest request, EntryPoint entry, Caller caller)
            throws InterruptedException {
        java.util.Optional<TournamentOptions> options = configured(request);
        if (options.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(run(request.withModel("auto"), options.get(), entry, caller));
    }

    /**
     * The chosen candidate's answer, as the front door gave it; a tournament in which no model answered fails with
     * each model's error.
     */
    static FallbackChain.Routed chosen(TournamentResult result) {
        return result.winner().map(TournamentResult.Candidate::routed).orElseThrow(() -> new IllegalStateException(
                "no model of the tournament answered: " + String.join("; ", result.candidates().stream()
                        .map(c -> c.model() + ": " + c.error()).toList()) + "; try again, or name other models in"
                        + " hearth.toml's [tournament] models"));
    }

    /** The models asked: those listed, else {@code n} of the registry's, different providers and families first. */
    private List<Entrant> entrants(ChatRequest request, TournamentOptions options) {
        List<Entrant> out = new ArrayList<>();
        if (!options.models().isEmpty()) {
            for (String spec : options.models()) {
                String model = hearth.use(spec);
                if (model.equals("auto") || model.startsWith("agent:")) {
                    throw new IllegalArgumentException("a tournament asks named models, and \"" + spec + "\" leaves"
                            + " the choice to the router; name models, or list none to have them chosen");
                }
                Entrant e = entrant(request, model);
                if (e.decision() instanceof RouteDecision.Reject r) {
                    throw new IllegalArgumentException("the tournament cannot ask " + spec + ": " + r.reason()
                            + "; nothing was sent");
                }
                if (out.stream().anyMatch(o -> o.model().id().equals(e.model().id()))) {
                    throw new IllegalArgumentException(spec + " is listed twice in the tournament; list each model"
                            + " once");
                }
                out.add(e);
            }
            return out;
        }
        List<Entrant> usable = hearth.router().registry().all().stream().map(p -> entrant(request, p.id()))
                .filter(e -> !(e.decision() instanceof RouteDecision.Reject))
                .sorted(Comparator.comparingDouble((Entrant e) -> -e.model().quality())).toList();
        List<Entrant> picked = TournamentPicks.diverse(usable, Entrant::model, options.n());
        if (picked.size() < 2) {
            throw new IllegalArgumentException("a tournament needs at least 2 models the router may use, and only "
                    + picked.stream().map(e -> e.model().id()).toList() + " can be asked here; set the keys of more"
                    + " providers, allow external models, or list the models");
        }
        return picked;
    }

    private Entrant entrant(ChatRequest request, String model) {
        ChatRequest one = request.withModel(model);
        RouteDecision d = hearth.explain(one);
        ModelProfile p = d.chain().isEmpty() ? hearth.router().registry().find(model).orElse(null)
                : d.chain().getFirst();
        if (p == null) {
            throw new IllegalArgumentException("the tournament cannot ask " + model + ": " + d.reason());
        }
        BigDecimal estimate = TournamentHolds.worstCase(hearth.prices(), p, one).orElse(BigDecimal.valueOf(
                p.cost(LedgerSpend.promptTokens(one), p.outputCap(one.maxTokens()))));
        return new Entrant(p, d, estimate);
    }

    /** Asks {@code entrants} at once (entrant {@code i} is {@code first + i} in the holds' order). */
    private List<TournamentResult.Candidate> wave(ChatRequest request, List<Entrant> entrants, int first,
            TournamentHolds holds, EntryPoint entry, Caller caller) throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TournamentResult.Candidate>> running = new ArrayList<>();
            for (int i = 0; i < entrants.size(); i++) {
                Entrant e = entrants.get(i);
                int hold = first + i;
                running.add(pool.submit(() -> {
                    holds.release(hold);
                    return ask(request, e, entry, caller);
                }));
            }
            List<TournamentResult.Candidate> out = new ArrayList<>();
            for (Future<TournamentResult.Candidate> f : running) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException x) {
                    throw new IllegalStateException("a tournament candidate stopped unexpectedly: " + x.getCause(),
                            x.getCause());
                }
            }
            return out;
        }
    }

    private TournamentResult.Candidate ask(ChatRequest request, Entrant e, EntryPoint entry, Caller caller)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            FallbackChain.Routed r = hearth.stream(request.withModel(e.model().id()), e.decision(), null, entry,
                    caller);
            Usage u = r.response().usage();
            return new TournamentResult.Candidate(e.model().id(), e.model().provider(), r.response().content(), null,
                    u.inputTokens(), u.outputTokens(), hearth.cost(r).orElse(null), millis(start), r.callId(), r);
        } catch (RuntimeException failed) {
            String why = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
            return new TournamentResult.Candidate(e.model().id(), e.model().provider(), null, why, 0, 0, null,
                    millis(start), null, null);
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static List<String> answers(List<TournamentResult.Candidate> asked) {
        return asked.stream().map(TournamentResult.Candidate::answer).toList();
    }

    /** What the models never asked would have cost at the answered candidates' mean usage, by the price table. */
    private BigDecimal saved(List<Entrant> skipped, List<TournamentResult.Candidate> asked) {
        List<TournamentResult.Candidate> answered = asked.stream().filter(TournamentResult.Candidate::answered)
                .toList();
        if (skipped.isEmpty() || answered.isEmpty()) {
            return BigDecimal.ZERO;
        }
        long in = answered.stream().mapToLong(TournamentResult.Candidate::inputTokens).sum() / answered.size();
        long out = answered.stream().mapToLong(TournamentResult.Candidate::outputTokens).sum() / answered.size();
        Usage mean = new Usage(in, out, 0, 0, 0);
        return skipped.stream().filter(e -> !e.model().local()).map(e -> hearth.prices().cost(e.model().provider(),
                e.model().model(), mean, Instant.now()).orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO,
                BigDecimal::add);
    }

    /** Each candidate's call gets an event naming the tournament, its verdict, the answer chosen and any savings. */
    private void record(String id, TournamentResult result) throws InterruptedException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("hearth.tournament.id", id);
        attributes.put("hearth.tournament.verdict", result.verdict().label());
        attributes.put("hearth.tournament.size", Integer.toString(result.candidates().size()));
        result.winner().ifPresent(w -> attributes.put("hearth.tournament.chosen", w.model()));
        if (result.early() != null) {
            attributes.put("hearth.tournament.skipped", String.join(",", result.early().skipped()));
            attributes.put("hearth.tournament.saved_usd", result.early().savedUsd().toPlainString());
        }
        hearth.flushCalls(); // local candidates are written just after they answer
        for (TournamentResult.Candidate c : result.candidates()) {
            if (c.callId() == null) {
                continue;
            }
            try {
                hearth.ledger().event(c.callId(), EVENT, attributes);
            } catch (LedgerException e) {
                org.slf4j.LoggerFactory.getLogger(Tournament.class).warn("the ledger could not record tournament {}"
                        + " on call {}: {}", id, c.callId(), e.getMessage());
            }
        }
    }
}
