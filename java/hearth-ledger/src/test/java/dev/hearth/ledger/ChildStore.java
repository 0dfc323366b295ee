package dev.hearth.ledger;

import java.nio.file.Path;

/** How a test names its store on a child process's command line: {@code sqlite FILE} or {@code postgres JDBC_URL}. */
final class ChildStore {
    private ChildStore() {
    }

    /** The store a child process was given. */
    static LedgerConfig.Store parse(String kind, String where) {
        return kind.equals("sqlite") ? new LedgerConfig.Sqlite(Path.of(where))
                : new LedgerConfig.Postgres(where, "postgres", null, 2);
    }

    /** The arguments that name {@code store} for a child. */
    static String[] args(LedgerConfig.Store store) {
        return switch (store) {
            case LedgerConfig.Sqlite s -> new String[] {"sqlite", s.file().toString()};
            case LedgerConfig.Postgres p -> new String[] {"postgres", p.jdbcUrl()};
        };
    }
}
