package dev.hearth.runtime;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ProviderException;
import dev.hearth.api.Tool;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetExceededException;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerException;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PriceTable;
import dev.hearth.router.SpendGate;
import dev.hearth.router.SpendRefusedException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One call's spend in the ledger: each remote hop reserves its worst case (the prompt's tokens, estimated generously,
 * at the input price, plus every token it may write at the output price) against the global, provider, model, key and
 * agent budgets, committed before the request leaves; the hold is settled to the vendor's usage priced by the price
 * table, or to nothing when the vendor failed before answering (a stream cut after output, or left by its client,
 * keeps its estimate: it may be billed). A model the price table does not know cannot be held against a budget, so it is refused while any
 * budget is set.
 */
final class LedgerSpend implements SpendGate {
    private final Ledger ledger;
    private final String callId;
    private final PriceTable prices;
    private final List<Budget.Scope> callerScopes;
    private int hops;

    LedgerSpend(Ledger ledger, String callId, PriceTable prices, List<Budget.Scope> callerScopes) {
        this.ledger = ledger;
        this.callId = callId;
        this.prices = prices;
        this.callerScopes = List.copyOf(callerScopes);
    }

    @Override
    public synchronized Hold reserve(ModelProfile model, ChatRequest request) {
        String id = hops++ == 0 ? callId : callId + "/" + hops; // a fallback's or a retry's hold is its own
        Instant now = Instant.now();
        var price = prices.price(model.provider(), model.model(), now);
        BigDecimal worst = price.map(p -> p.cost(new Usage(promptTokens(request), request.maxTokens(), 0, 0, 0)))
                .orElse(BigDecimal.ZERO);
        List<Budget.Scope> scopes = new ArrayList<>(callerScopes);
        scopes.add(Budget.Scope.provider(model.provider()));
        scopes.add(Budget.Scope.model(model.id()));
        try {
            if (price.isEmpty() && !ledger.budgets().isEmpty()) {
                throw new SpendRefusedException("the price table has no price for " + model.provider() + " "
                        + model.model() + ", so its spend cannot be held against the budgets; add its price"
                        + " (PriceTable.load) or choose a priced model");
            }
            ledger.reserve(id, worst, scopes);
        } catch (BudgetExceededException e) {
            refused(e.getMessage());
            throw new SpendRefusedException(e.getMessage());
        } catch (LedgerException e) { // cannot record the spend: nothing is sent
            refused(e.getMessage());
            throw new SpendRefusedException("the ledger cannot record this call's spend, so it was not sent: "
                    + e.getMessage());
        }
        return new Hold() {
            private BigDecimal billed; // set once the vendor answered

            @Override
            public void settle(ModelProfile m, Usage usage) {
                billed = prices.cost(m.provider(), m.model(), usage, Instant.now()).orElse(BigDecimal.ZERO);
                ledger.settle(id, billed);
            }

            @Override
            public void failed(RuntimeException e) {
                if (billed != null) { // the vendor answered and the settle failed: it billed the call all the same
                    try {
                        ledger.settle(id, billed);
                    } catch (LedgerException again) {
                        // the reservation stays open, counted at its worst case until reconciled: never under-counted
                    }
                    return;
                }
                // output already flowed (a broken or timed-out stream, or one its client left): it may be billed
                boolean mayBeBilled = e instanceof ProviderException.StreamBroken
                        || (e instanceof ProviderException.TimedOut t && t.partial() != null)
                        || e instanceof dev.hearth.api.CallCancelledException;
                ledger.settle(id, mayBeBilled ? worst : BigDecimal.ZERO);
            }
        };
    }

    private void refused(String why) {
        try {
            ledger.event(callId, GenAi.EVENT_BUDGET_REFUSED, Map.of(GenAi.HEARTH_BUDGET, why));
        } catch (LedgerException ignored) {
            // the refusal itself is what the caller sees
        }
    }

    /**
     * The prompt's tokens, estimated without the remote model's tokenizer: a token per three bytes of UTF-8 (real
     * tokenizers average about four), plus a few per message for its role and markers. Generous on purpose: a
     * reservation must not fall short.
     */
    static long promptTokens(ChatRequest request) {
        long bytes = 0;
        for (ChatMessage m : request.messages()) {
            bytes += m.content() == null ? 0 : m.content().getBytes(StandardCharsets.UTF_8).length;
            bytes += 12;
            for (var call : m.toolCalls()) {
                bytes += call.name().length() + call.arguments().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        for (Tool t : request.tools()) {
            bytes += t.name().length() + (t.description() == null ? 0 : t.description().length())
                    + (t.parameters() == null ? 0 : t.parameters().length()) + 24;
        }
        return (bytes + 2) / 3;
    }
}
