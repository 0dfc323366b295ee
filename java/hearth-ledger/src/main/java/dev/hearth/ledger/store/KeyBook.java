package dev.hearth.ledger.store;

import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.Budget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys: a secret of 256 random bits, shown once; stored as its SHA-256 (a high-entropy secret needs no slow hash)
 * with its first characters for display. A key's monthly budget is its {@code KEY} scope's {@code MONTH} budget.
 */
final class KeyBook implements ApiKeys {
    private static final String PREFIX = "hk-";
    private static final int SHOWN = 10;

    private final Db db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    KeyBook(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public CreatedKey create(KeySpec spec) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.millis();
        ApiKey key = db.write("create API key " + spec.name(), c -> {
            if (Sql.one(c, "SELECT 1 FROM api_keys WHERE name = ?", r -> 1, spec.name()).isPresent()) {
                throw new IllegalArgumentException("an API key named '" + spec.name() + "' already exists (revoked"
                        + " keys keep their names); choose another name");
            }
            Sql.update(c, "INSERT INTO api_keys (name, prefix, secret_sha256, created_at, allowed_models,"
                    + " allow_external) VALUES (?, ?, ?, ?, '', 0)", spec.name(), secret.substring(0, SHOWN),
                    sha256(secret), now);
            return apply(c, spec);
        });
        return new CreatedKey(key, secret);
    }

    @Override
    public ApiKey update(KeySpec spec) {
        return db.write("update API key " + spec.name(), c -> {
            Optional<ApiKey> before = Sql.one(c, "SELECT * FROM api_keys WHERE name = ? AND revoked_at IS NULL",
                    KeyBook::key, spec.name());
            if (before.isEmpty()) {
                throw new IllegalArgumentException("no valid API key is named '" + spec.name() + "'; `hearth keys"
                        + " list` shows the keys");
            }
            if (before.get().monthlyUsd() != null && spec.monthlyUsd() == null) { // the key's budget is lifted
                Budget.Scope scope = Budget.Scope.key(spec.name());
                Sql.update(c, "DELETE FROM budgets WHERE scope_kind = ? AND scope_name = ? AND period = ?",
                        scope.kind().name(), scope.name(), Budget.Period.MONTH.name());
            }
            return apply(c, spec);
        });
    }

    // writes what the key may do, and its monthly budget if it has one (the KEY scope's MONTH budget), in the caller's
    // transaction
    private static ApiKey apply(Tx c, KeySpec spec) throws SQLException {
        Sql.update(c, "UPDATE api_keys SET monthly_budget_nanos = ?, rpm = ?, tpm = ?, allowed_models = ?,"
                + " allow_external = ?, admin = ? WHERE name = ?",
                Sql.bigint(spec.monthlyUsd() == null ? null : Money.nanos(spec.monthlyUsd())),
                Sql.bigint(spec.rpm() == null ? null : spec.rpm().longValue()),
                Sql.bigint(spec.tpm() == null ? null : spec.tpm().longValue()),
                String.join(",", spec.allowedModels()), spec.allowExternal(), spec.admin(), spec.name());
        if (spec.monthlyUsd() != null) {
            BudgetBook.set(c, Budget.of(Budget.Scope.key(spec.name()), Budget.Period.MONTH, spec.monthlyUsd()), "set");
        }
        return Sql.one(c, "SELECT * FROM api_keys WHERE name = ?", KeyBook::key, spec.name()).orElseThrow();
    }

    @Override
    public List<ApiKey> list() {
        return db.read("list API keys", c -> Sql.query(c, "SELECT * FROM api_keys ORDER BY name", KeyBook::key));
    }

    @Override
    public ApiKey revoke(String name) {
        long now = clock.millis();
        return db.write("revoke API key " + name, c -> {
            Sql.update(c, "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", now, name);
            return Sql.one(c, "SELECT * FROM api_keys WHERE name = ?", KeyBook::key, name).orElseThrow(
                    () -> new IllegalArgumentException("no API key is named '" + name + "'; `hearth keys list`"
                            + " shows the keys"));
        });
    }

    @Override
    public Optional<ApiKey> lookup(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hash = sha256(secret);
        return db.read("look up an API key", c -> Sql.one(c,
                "SELECT * FROM api_keys WHERE secret_sha256 = ? AND revoked_at IS NULL", KeyBook::key, hash));
    }

    private static ApiKey key(ResultSet r) throws SQLException {
        Long revoked = Sql.nullableLong(r, "revoked_at");
        Long budget = Sql.nullableLong(r, "monthly_budget_nanos");
        Long rpm = Sql.nullableLong(r, "rpm");
        Long tpm = Sql.nullableLong(r, "tpm");
        String models = r.getString("allowed_models");
        return new ApiKey(r.getString("name"), r.getString("prefix"), Instant.ofEpochMilli(r.getLong("created_at")),
                revoked == null ? null : Instant.ofEpochMilli(revoked), budget == null ? null : Money.usd(budget),
                rpm == null ? null : rpm.intValue(), tpm == null ? null : tpm.intValue(),
                models.isEmpty() ? List.of() : List.of(models.split(",")), r.getLong("allow_external") == 1,
                r.getLong("admin") == 1);
    }
}
