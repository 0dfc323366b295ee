/**
 * The durable ledger: every call with its tokens, cost and trace events, feedback, budgets that reserve before they
 * spend, and API keys. SQLite (WAL, one file under the data directory) is the embedded default; PostgreSQL is for
 * several Hearth instances sharing budgets. Only {@code dev.hearth.ledger} is API; the stores are internal.
 */
module dev.hearth.ledger {
    requires transitive dev.hearth.api;
    requires java.sql;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires com.fasterxml.jackson.databind;

    exports dev.hearth.ledger;
}
