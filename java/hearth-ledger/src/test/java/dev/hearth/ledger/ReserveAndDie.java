package dev.hearth.ledger;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process that begins a call, reserves {@code args[3]} dollars for it, prints the call id and dies at once
 * (no settle, no close): a process killed while its remote call was in flight. Args: {@code sqlite FILE} or
 * {@code postgres JDBC_URL}, then a model name and the amount.
 */
public final class ReserveAndDie {
    private ReserveAndDie() {
    }

    public static void main(String[] args) {
        Ledger ledger = Ledger.open(LedgerConfig.of(store(args[0], args[1])));
        String id = ledger.begin(CallStart.remote("anthropic", args[2]));
        ledger.reserve(id, new BigDecimal(args[3]), List.of(Budget.Scope.model(args[2])));
        System.out.println("CALL " + id);
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }

    /** The store a child process was given on its command line. */
    static LedgerConfig.Store store(String kind, String where) {
        return kind.equals("sqlite") ? new LedgerConfig.Sqlite(Path.of(where))
                : new LedgerConfig.Postgres(where, "postgres", null, 2);
    }

    /** The command-line arguments that name {@code store} for a child. */
    static String[] args(LedgerConfig.Store store) {
        return switch (store) {
            case LedgerConfig.Sqlite s -> new String[] {"sqlite", s.file().toString()};
            case LedgerConfig.Postgres p -> new String[] {"postgres", p.jdbcUrl()};
        };
    }
}
