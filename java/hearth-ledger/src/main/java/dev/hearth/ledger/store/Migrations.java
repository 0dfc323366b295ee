package dev.hearth.ledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's schema, as numbered scripts per dialect ({@code db/sqlite/V1__calls.sql}, ...), applied in order in one
 * transaction and recorded in {@code schema_version}. A new version appends a script here; applied scripts never
 * change.
 */
public final class Migrations {
    /** The scripts, in order; version n is {@code SCRIPTS.get(n - 1)}. */
    static final List<String> SCRIPTS = List.of("V1__calls.sql", "V2__feedback_rollups.sql", "V3__budgets_keys.sql",
            "V4__budget_origin.sql", "V5__admin_keys.sql", "V6__response_cache.sql", "V7__speculation.sql");

    private Migrations() {
    }

    /** The newest schema version this code knows. */
    public static int latest() {
        return SCRIPTS.size();
    }

    /** Applies the scripts after the database's version up to {@code target}, in {@code db}'s one transaction. */
    static int migrate(Db db, int target, long nowMillis) {
        return db.write("apply its schema migrations", c -> apply(c, db.dialect(), target, nowMillis));
    }

    private static int apply(Tx tx, String dialect, int target, long nowMillis) throws SQLException {
        Connection c = tx.connection();
        try (Statement s = c.createStatement()) {
            if (dialect.equals("postgresql")) {
                // two instances opening one new database at once: the second waits, then finds the schema in place
                s.execute("SELECT pg_advisory_xact_lock(7171717)");
            }
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " applied_at BIGINT NOT NULL)");
        }
        int current;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            r.next();
            current = r.getInt(1);
        }
        if (current > SCRIPTS.size()) {
            throw new IllegalStateException("the ledger's schema is at version " + current + ", newer than this Hearth"
                    + " knows (" + SCRIPTS.size() + "); run a newer Hearth, or point it at another database");
        }
        for (int v = current + 1; v <= target; v++) {
            String name = SCRIPTS.get(v - 1);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(read("db/" + dialect + "/" + name))) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
                p.setInt(1, v);
                p.setString(2, name);
                p.setLong(3, nowMillis);
                p.executeUpdate();
            }
        }
        return Math.max(current, target);
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream("/dev/hearth/ledger/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing from hearth-ledger");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script at semicolons that end a line, dropping {@code --} comment lines. */
    static List<String> statements(String script) {
        StringBuilder current = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
