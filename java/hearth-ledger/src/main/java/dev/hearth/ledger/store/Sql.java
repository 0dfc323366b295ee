package dev.hearth.ledger.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for prepared statements: the same SQL runs on SQLite and PostgreSQL. */
final class Sql {
    /** A typed SQL NULL (PostgreSQL needs the type of a null parameter). */
    record Null(int type) {
    }

    static final Null NULL_TEXT = new Null(Types.VARCHAR);
    static final Null NULL_BIGINT = new Null(Types.BIGINT);

    /** Maps one row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    private Sql() {
    }

    static Object text(String s) {
        return s == null ? NULL_TEXT : s;
    }

    static Object bigint(Long n) {
        return n == null ? NULL_BIGINT : n;
    }

    static int update(Tx c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepare(sql);
        try {
            bind(p, args);
            return p.executeUpdate();
        } finally {
            c.release(p);
        }
    }

    static <T> List<T> query(Tx c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        PreparedStatement p = c.prepare(sql);
        try {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (r.next()) {
                    out.add(mapper.map(r));
                }
                return out;
            }
        } finally {
            c.release(p);
        }
    }

    static <T> Optional<T> one(Tx c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        List<T> rows = query(c, sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case Null n -> p.setNull(i + 1, n.type());
                case Long l -> p.setLong(i + 1, l);
                case Integer n -> p.setLong(i + 1, n);
                case Boolean b -> p.setLong(i + 1, b ? 1 : 0);
                case String s -> p.setString(i + 1, s);
                default -> throw new IllegalArgumentException("cannot bind " + a.getClass().getName());
            }
        }
    }

    /** A nullable BIGINT column. */
    static Long nullableLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }
}
