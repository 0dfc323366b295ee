package dev.hearth.runtime;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.Dollars;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetExceededException;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerException;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PriceTable;
import dev.hearth.router.SpendRefusedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tournament's spend, held for every remote candidate before any is sent: each one's worst case (as
 * {@link LedgerSpend} reckons it) is reserved against the same budgets its own call will be held against, so a budget
 * too small for all of them refuses the whole tournament, with the numbers, while nothing has left the machine. Just
 * before a candidate runs, its hold is released and its call reserves its own, which the ledger then settles to what
 * the vendor billed. Thread-safe.
 */
final class TournamentHolds {
    private final Ledger ledger; // null: no budget is set, nothing to hold
    private final Map<Integer, String> open = new ConcurrentHashMap<>();

    private TournamentHolds(Ledger ledger) {
        this.ledger = ledger;
    }

    /** What sending {@code request} to {@code model} may cost at most; empty when the price table lacks the model. */
    static java.util.Optional<BigDecimal> worstCase(PriceTable prices, ModelProfile model, ChatRequest request) {
        if (model.local()) {
            return java.util.Optional.of(BigDecimal.ZERO);
        }
        return prices.price(model.provider(), model.model(), Instant.now()).map(p -> p.cost(new Usage(
                LedgerSpend.promptTokens(request), request.maxTokens(), 0, 0, 0)));
    }

    /**
     * Holds every remote model's worst case, all or none.
     *
     * @throws SpendRefusedException when a budget cannot hold them all (nothing is held, nothing was sent)
     */
    static TournamentHolds reserve(Hearth hearth, String tournament, List<ModelProfile> models, ChatRequest request,
            List<Budget.Scope> callerScopes) {
        Ledger ledger;
        try {
            ledger = hearth.ledger().budgets().isEmpty() ? null : hearth.ledger();
        } catch (LedgerException | IllegalArgumentException | java.io.UncheckedIOException e) {
            return new TournamentHolds(null); // each call refuses itself while a budget is set
        }
        TournamentHolds holds = new TournamentHolds(ledger);
        if (ledger == null) {
            return holds;
        }
        List<String> needs = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < models.size(); i++) {
            ModelProfile m = models.get(i);
            if (m.local()) {
                continue;
            }
            BigDecimal worst = worstCase(hearth.prices(), m, request).orElse(null);
            if (worst == null) {
                holds.releaseAll();
                throw new SpendRefusedException("the price table has no price for " + m.provider() + " " + m.model()
                        + ", so the tournament's spend cannot be held against the budgets; nothing was sent; add its"
                        + " price (PriceTable.load) or leave it out of the tournament");
            }
            needs.add(m.id() + " " + Dollars.format(worst));
            total = total.add(worst);
            List<Budget.Scope> scopes = new ArrayList<>(callerScopes);
            scopes.add(Budget.Scope.provider(m.provider()));
            scopes.add(Budget.Scope.model(m.id()));
            String id = tournament + "/hold-" + i;
            try {
                ledger.reserve(id, worst, scopes);
                holds.open.put(i, id);
            } catch (BudgetExceededException e) {
                holds.releaseAll();
                BigDecimal all = models.stream().map(p -> worstCase(hearth.prices(), p, request)
                        .orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add);
                throw new SpendRefusedException("a tournament of " + models.size() + " models needs up to "
                        + Dollars.format(all) + " (" + String.join(", ", needs) + (needs.size() < models.size()
                        ? ", ..." : "") + "), more than the budgets hold: " + e.getMessage() + "; nothing was sent;"
                        + " ask fewer models (n), lower max tokens, or choose cheaper ones");
            } catch (LedgerException e) {
                holds.releaseAll();
                throw new SpendRefusedException("the ledger cannot hold the tournament's spend, so nothing was sent: "
                        + e.getMessage());
            }
        }
        return holds;
    }

    /** Hands candidate {@code i}'s hold over to its own call, which reserves its own as it starts. */
    void release(int i) {
        String id = open.remove(i);
        if (id != null && ledger != null) {
            try {
                ledger.settle(id, BigDecimal.ZERO);
            } catch (LedgerException e) {
                org.slf4j.LoggerFactory.getLogger(TournamentHolds.class).warn("a tournament's hold {} could not be"
                        + " released: {}; the ledger reconciles stale holds at its next start", id, e.getMessage());
            }
        }
    }

    /** Releases every hold still open (the models that were never asked). */
    void releaseAll() {
        List.copyOf(open.keySet()).forEach(this::release);
    }
}
