package dev.hearth.ledger.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * One transaction's connection, with the prepared statements of the connection it runs on when that connection keeps
 * them (SQLite's one connection does: preparing a statement costs more than running the ledger's small ones).
 * Confined to the thread running the transaction.
 */
final class Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> cache;

    /** {@code cache} is null when statements are not kept (pooled PostgreSQL connections; pgjdbc keeps its own). */
    Tx(Connection connection, Map<String, PreparedStatement> cache) {
        this.connection = connection;
        this.cache = cache;
    }

    Connection connection() {
        return connection;
    }

    /** A statement for {@code sql}; give it back with {@link #release}. */
    PreparedStatement prepare(String sql) throws SQLException {
        if (cache == null) {
            return connection.prepareStatement(sql);
        }
        PreparedStatement p = cache.get(sql);
        if (p == null) {
            p = connection.prepareStatement(sql);
            cache.put(sql, p);
        }
        return p;
    }

    void release(PreparedStatement p) throws SQLException {
        if (cache == null) {
            p.close();
        } else {
            p.clearParameters();
        }
    }
}
