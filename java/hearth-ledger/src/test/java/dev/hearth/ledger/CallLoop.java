package dev.hearth.ledger;

import java.math.BigDecimal;
import java.util.List;

/**
 * A child process that makes remote calls through the ledger until it is killed: for each, begin, reserve the
 * estimate, print {@code SENT id} (the moment the request would leave the machine), settle the actual cost, finish.
 * Args: store kind and place (see {@link ChildStore}).
 */
public final class CallLoop {
    static final BigDecimal ESTIMATE = new BigDecimal("0.01");
    static final BigDecimal ACTUAL = new BigDecimal("0.007");

    private CallLoop() {
    }

    public static void main(String[] args) {
        try (Ledger ledger = Ledger.open(LedgerConfig.of(ChildStore.parse(args[0], args[1])))) {
            for (int i = 0; i < 100_000; i++) {
                String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
                ledger.reserve(id, ESTIMATE, List.of(Budget.Scope.model("claude-sonnet")));
                System.out.println("SENT " + id);
                System.out.flush();
                ledger.settle(id, ACTUAL);
                ledger.finish(id, CallEnd.ok(Tokens.of(10, 10), ACTUAL, 1));
            }
        }
    }
}
