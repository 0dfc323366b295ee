package dev.hearth.ledger;

import dev.hearth.api.HearthHome;
import dev.hearth.api.Settings;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to open a ledger. {@link #fromEnvironment} reads:
 * <ul>
 * <li>{@code HEARTH_DATABASE_URL} ({@code postgresql://user:password@host:5432/database}): PostgreSQL, shared by
 * several Hearth instances; else SQLite at {@code HEARTH_LEDGER_PATH}, else {@code $HEARTH_HOME/data/ledger.db}.</li>
 * <li>{@code HEARTH_LEDGER_STORE_CONTENT} (default false): store prompts and answers.</li>
 * <li>{@code HEARTH_LEDGER_RETENTION_DAYS} (default 90): raw calls and events older than this are pruned; daily
 * rollups stay.</li>
 * <li>{@code HEARTH_MONTHLY_BUDGET_USD}: the global monthly budget, set when the ledger opens.</li>
 * </ul>
 * {@code budgets} are the configuration's other budgets (hearth.toml's {@code [[budget]]} tables). At each open the
 * ledger makes {@link #declaredBudgets()} those in effect: a budget an earlier configuration declared and this one
 * does not is removed; budgets set by hand ({@code hearth budgets set}, an API key's) stay.
 * {@code lockTimeout} is how long a write waits for a locked database before {@link LedgerUnavailableException};
 * {@code staleReservationAfter} is the age past which an open reservation is taken to belong to a process that died
 * (it then counts as spent at its estimate; see {@link Ledger#reconcile()}).
 */
public record LedgerConfig(Store store, boolean storeContent, Duration retention, Duration lockTimeout,
        Duration staleReservationAfter, BigDecimal globalMonthlyBudgetUsd, List<Budget> budgets) {
    /** Where the ledger lives. */
    public sealed interface Store permits Sqlite, Postgres {
    }

    /** An SQLite file (created with its directories on first use). */
    public record Sqlite(Path file) implements Store {
        public Sqlite {
            Objects.requireNonNull(file, "file");
        }
    }

    /** A PostgreSQL database reached through a pool of {@code poolSize} connections. */
    public record Postgres(String jdbcUrl, String user, String password, int poolSize) implements Store {
        public Postgres {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql://; got "
                        + jdbcUrl);
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("the PostgreSQL pool needs at least one connection; got "
                        + poolSize);
            }
        }

        @Override
        public String toString() {
            return "Postgres[" + jdbcUrl + ", user=" + user + ", pool=" + poolSize + "]";
        }
    }

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STALE_RESERVATION = Duration.ofMinutes(15);

    public LedgerConfig {
        Objects.requireNonNull(store, "store");
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the ledger's retention must be positive; got " + retention);
        }
        if (lockTimeout == null || lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("the ledger's lock timeout must be positive; got " + lockTimeout);
        }
        if (staleReservationAfter == null || staleReservationAfter.isNegative() || staleReservationAfter.isZero()) {
            throw new IllegalArgumentException("the stale-reservation age must be positive; got "
                    + staleReservationAfter);
        }
        if (globalMonthlyBudgetUsd != null && globalMonthlyBudgetUsd.signum() < 0) {
            throw new IllegalArgumentException("HEARTH_MONTHLY_BUDGET_USD must be zero or more US dollars; got "
                    + globalMonthlyBudgetUsd.toPlainString());
        }
        if (budgets != null) {
            budgets = List.copyOf(budgets);
            Set<String> seen = new HashSet<>();
            for (Budget b : budgets) {
                if (!seen.add(b.scope() + " per " + b.period().label())) {
                    throw new IllegalArgumentException("two budgets for " + b.scope() + " per " + b.period().label()
                            + "; keep one");
                }
            }
        }
    }

    /**
     * Whether opening the ledger with this configuration makes its budgets the ones in effect, removing those an
     * earlier configuration declared and this one does not. A Hearth runtime's does. A command that only reads or
     * changes the ledger ({@code hearth spend}, {@code keys}) opens it {@linkplain #withoutDeclaring() without}: it
     * sets its global monthly budget, if it has one, and removes nothing, so a shell without the server's settings
     * cannot lift a budget the server declared.
     */
    public boolean declares() {
        return budgets != null;
    }

    /**
     * The budgets the configuration sets when the ledger opens: {@link #budgets()} (none when it does not
     * {@linkplain #declares() declare}), with the global monthly one from {@code HEARTH_MONTHLY_BUDGET_USD} in place
     * of any the file gives.
     */
    public List<Budget> declaredBudgets() {
        List<Budget> out = new ArrayList<>(budgets == null ? List.of() : budgets);
        if (globalMonthlyBudgetUsd != null) {
            out.removeIf(b -> b.scope().equals(Budget.Scope.GLOBAL) && b.period() == Budget.Period.MONTH);
            out.add(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, globalMonthlyBudgetUsd));
        }
        return List.copyOf(out);
    }

    /**
     * Defaults for {@code store}: no content, 90 days, 2 s lock timeout, 15 min stale reservations, and no budgets
     * declared (those in the ledger are left as they are).
     */
    public static LedgerConfig of(Store store) {
        return new LedgerConfig(store, false, DEFAULT_RETENTION, DEFAULT_LOCK_TIMEOUT, DEFAULT_STALE_RESERVATION, null,
                null);
    }

    /** The configuration {@code env} (a process's environment, or one a test built) asks for. */
    public static LedgerConfig fromEnvironment(Map<String, String> env) {
        String url = env.get("HEARTH_DATABASE_URL");
        Store store;
        if (url != null && !url.isBlank()) {
            store = parseDatabaseUrl(url);
        } else if (env.get("HEARTH_LEDGER_PATH") != null && !env.get("HEARTH_LEDGER_PATH").isBlank()) {
            store = new Sqlite(Path.of(env.get("HEARTH_LEDGER_PATH")));
        } else {
            store = new Sqlite(defaultSqliteFile(env));
        }
        Duration retention = DEFAULT_RETENTION;
        String days = env.get("HEARTH_LEDGER_RETENTION_DAYS");
        if (days != null && !days.isBlank()) {
            try {
                retention = Duration.ofDays(Long.parseLong(days.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HEARTH_LEDGER_RETENTION_DAYS must be a whole number of days; got '"
                        + days + "'");
            }
        }
        BigDecimal budget = null;
        String usd = env.get("HEARTH_MONTHLY_BUDGET_USD");
        if (usd != null && !usd.isBlank()) {
            try {
                budget = new BigDecimal(usd.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HEARTH_MONTHLY_BUDGET_USD must be a number of US dollars, e.g."
                        + " 25 or 12.50; got '" + usd + "'");
            }
        }
        boolean content = Settings.flag(env, "HEARTH_LEDGER_STORE_CONTENT", false);
        return new LedgerConfig(store, content, retention, DEFAULT_LOCK_TIMEOUT, DEFAULT_STALE_RESERVATION, budget,
                List.of());
    }

    /** {@code $HEARTH_HOME/data/ledger.db}, the embedded default. */
    public static Path defaultSqliteFile(Map<String, String> env) {
        return HearthHome.of(env).resolve("data").resolve("ledger.db");
    }

    /**
     * Turns {@code postgresql://user:password@host:port/database?options} (or {@code postgres://}) into a JDBC URL and
     * credentials; the password never appears in an error.
     */
    public static Postgres parseDatabaseUrl(String url) {
        String hint = "HEARTH_DATABASE_URL must look like postgresql://user:password@host:5432/database";
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(hint + "; it could not be parsed (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
            throw new IllegalArgumentException(hint + "; its scheme is " + scheme);
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2) {
            throw new IllegalArgumentException(hint + "; the host or the database name is missing");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Postgres(jdbc, user, password, 8);
    }

    public LedgerConfig withStoreContent(boolean on) {
        return new LedgerConfig(store, on, retention, lockTimeout, staleReservationAfter, globalMonthlyBudgetUsd,
                budgets);
    }

    public LedgerConfig withRetention(Duration d) {
        return new LedgerConfig(store, storeContent, d, lockTimeout, staleReservationAfter, globalMonthlyBudgetUsd,
                budgets);
    }

    public LedgerConfig withLockTimeout(Duration d) {
        return new LedgerConfig(store, storeContent, retention, d, staleReservationAfter, globalMonthlyBudgetUsd,
                budgets);
    }

    public LedgerConfig withStaleReservationAfter(Duration d) {
        return new LedgerConfig(store, storeContent, retention, lockTimeout, d, globalMonthlyBudgetUsd, budgets);
    }

    public LedgerConfig withGlobalMonthlyBudget(BigDecimal usd) {
        return new LedgerConfig(store, storeContent, retention, lockTimeout, staleReservationAfter, usd, budgets);
    }

    /**
     * This configuration, declaring nothing: opening it sets the global monthly budget it has (if any) and removes
     * no budget.
     */
    public LedgerConfig withoutDeclaring() {
        return new LedgerConfig(store, storeContent, retention, lockTimeout, staleReservationAfter,
                globalMonthlyBudgetUsd, null);
    }

    /** This configuration declaring {@code declared} as its budgets besides the global monthly one. */
    public LedgerConfig withBudgets(List<Budget> declared) {
        return new LedgerConfig(store, storeContent, retention, lockTimeout, staleReservationAfter,
                globalMonthlyBudgetUsd, declared);
    }
}
