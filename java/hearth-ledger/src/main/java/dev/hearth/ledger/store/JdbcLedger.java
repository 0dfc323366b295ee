package dev.hearth.ledger.store;

import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Completion;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.Quality;
import dev.hearth.ledger.Reservation;
import dev.hearth.ledger.ResponseCache;
import dev.hearth.ledger.SpendReport;
import dev.hearth.ledger.Tokens;
import dev.hearth.ledger.TraceEvent;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one {@link Ledger} implementation, over SQLite or PostgreSQL: the same SQL, the same behaviour. */
public final class JdbcLedger implements Ledger {
    private static final String CALL_COLUMNS = "c.*, cc.prompt, cc.answer FROM calls c"
            + " LEFT JOIN call_content cc ON cc.call_id = c.id";

    private final Db db;
    private final LedgerConfig config;
    private final Clock clock;
    private final Ids ids;
    private final BudgetBook budgets;
    private final KeyBook keys;

    private JdbcLedger(Db db, LedgerConfig config, Clock clock) {
        this.db = db;
        this.config = config;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.budgets = new BudgetBook(db, clock, config.staleReservationAfter(), this::event);
        this.keys = new KeyBook(db, clock);
    }

    /** See {@link Ledger#open(LedgerConfig, Clock)}. */
    public static Ledger open(LedgerConfig config, Clock clock) {
        Db db = connect(config);
        try {
            Migrations.migrate(db, Migrations.latest(), clock.millis());
            JdbcLedger ledger = new JdbcLedger(db, config, clock);
            if (config.declares()) {
                ledger.budgets.declare(config.declaredBudgets());
            } else {
                config.declaredBudgets().forEach(ledger.budgets::setDeclared);
            }
            ledger.reconcile();
            return ledger;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static Db connect(LedgerConfig config) {
        return switch (config.store()) {
            case LedgerConfig.Sqlite s -> new SqliteDb(s.file(), config.lockTimeout());
            case LedgerConfig.Postgres p -> new PostgresDb(p, config.lockTimeout());
        };
    }

    @Override
    public String begin(CallStart s) {
        return begin(ids.next(), s);
    }

    @Override
    public String newCallId() {
        return ids.next();
    }

    @Override
    public String begin(String id, CallStart s) {
        java.util.Objects.requireNonNull(id, "id");
        long now = clock.millis();
        db.write("record the start of a call", c -> start(c, id, s, now));
        return id;
    }

    @Override
    public Reservation begin(String id, CallStart s, BigDecimal amountUsd, Collection<Budget.Scope> scopes) {
        java.util.Objects.requireNonNull(id, "id");
        long now = clock.millis();
        return budgets.reserve(id, amountUsd, scopes, c -> start(c, id, s, now));
    }

    private Void start(Tx c, String id, CallStart s, long now) throws SQLException {
        Caller caller = s.caller();
        Sql.update(c, "INSERT INTO calls (id, started_at, entry_point, key_name, agent, user_tag, task_class,"
                + " route, route_reason, model, provider, remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, now, s.entryPoint().name(), Sql.text(caller.keyName()), Sql.text(caller.agent()),
                Sql.text(caller.userTag()), Sql.text(s.taskClass()), Sql.text(s.route()),
                Sql.text(s.routeReason()), s.model(), s.provider(), s.remote());
        if (config.storeContent() && s.prompt() != null) {
            Sql.update(c, "INSERT INTO call_content (call_id, prompt) VALUES (?, ?)", id, s.prompt());
        }
        Map<String, String> attributes = new HashMap<>(Map.of(GenAi.OPERATION_NAME, "chat",
                GenAi.PROVIDER_NAME, s.provider(), GenAi.REQUEST_MODEL, s.model(), GenAi.HEARTH_CALL_ID, id));
        if (s.route() != null) {
            attributes.put(GenAi.HEARTH_ROUTE, s.route());
        }
        Sql.update(c, "INSERT INTO trace_events (call_id, at, name, attributes) VALUES (?, ?, ?, ?)", id, now,
                GenAi.EVENT_CALL_START, Json.write(attributes));
        return null;
    }

    @Override
    public boolean finish(String callId, CallEnd e) {
        return db.write("record the end of call " + callId, c -> finish(c, callId, e));
    }

    @Override
    public int complete(List<Completion> completions) {
        if (completions.isEmpty()) {
            return 0;
        }
        return db.write("record " + completions.size() + " finished calls", c -> {
            int finished = 0;
            for (Completion done : completions) {
                if (done.begun() != null
                        && Sql.one(c, "SELECT 1 FROM calls WHERE id = ?", r -> 1, done.callId()).isEmpty()) {
                    start(c, done.callId(), done.begun().start(), done.begun().at().toEpochMilli());
                }
                for (Completion.Event e : done.events()) {
                    event(c, done.callId(), e.name(), e.attributes());
                }
                for (Completion.Settlement settled : done.settlements()) {
                    BudgetBook.settle(c, settled.holdId(), settled.usd());
                }
                finished += finish(c, done.callId(), done.end()) ? 1 : 0;
            }
            return finished;
        });
    }

    private boolean finish(Tx c, String callId, CallEnd e) throws SQLException {
        long now = clock.millis();
        Tokens t = e.tokens();
        int updated = Sql.update(c, "UPDATE calls SET ended_at = ?, input_tokens = ?, cache_read_tokens = ?,"
                + " cache_write_tokens = ?, output_tokens = ?, reasoning_tokens = ?, cost_nanos = ?,"
                + " price_as_of = ?, baseline_cost_nanos = ?, ttft_ms = ?, total_ms = ?, outcome = ?,"
                + " fallback_hops = ?, privacy = ?, cache_hits = ?, saved_nanos = ?, drafted_tokens = ?,"
                + " accepted_draft_tokens = ?, model = COALESCE(?, model),"
                + " provider = COALESCE(?, provider) WHERE id = ? AND ended_at IS NULL", now, t.input(),
                t.cacheRead(), t.cacheWrite(), t.output(), t.reasoning(), Money.nanos(e.costUsd()),
                Sql.text(e.priceAsOf() == null ? null : e.priceAsOf().toString()),
                Money.nanos(e.baselineCostUsd()), Sql.bigint(e.firstTokenMillis()), e.totalMillis(), e.outcome(),
                e.fallbackHops(), Sql.text(e.privacy()), e.cacheHits(), Money.nanos(e.savedUsd()),
                e.draftedTokens(), e.acceptedDraftTokens(), Sql.text(e.model()), Sql.text(e.provider()), callId);
        if (updated == 0) {
            requireCall(c, callId);
            return false;
        }
        rollUp(c, callId, e);
        if (config.storeContent() && e.answer() != null) {
            Sql.update(c, "INSERT INTO call_content (call_id, answer) VALUES (?, ?) ON CONFLICT (call_id)"
                    + " DO UPDATE SET answer = excluded.answer", callId, e.answer());
        }
        if (e.firstTokenMillis() != null) { // stamped when the first token came: the call's start plus its ttft
            Sql.update(c, "INSERT INTO trace_events (call_id, at, name, attributes) SELECT id, started_at + ?, ?, ?"
                    + " FROM calls WHERE id = ?", e.firstTokenMillis(), GenAi.EVENT_FIRST_TOKEN,
                    Json.write(Map.of(GenAi.HEARTH_TTFT_MS, Long.toString(e.firstTokenMillis()))), callId);
        }
        Map<String, String> attributes = new HashMap<>(Map.of(GenAi.USAGE_INPUT_TOKENS,
                Long.toString(t.input()), GenAi.USAGE_OUTPUT_TOKENS, Long.toString(t.output()),
                GenAi.HEARTH_COST_USD, e.costUsd().toPlainString()));
        if (e.model() != null) {
            attributes.put(GenAi.RESPONSE_MODEL, e.model());
        }
        boolean failed = !e.outcome().equals(CallEnd.OK) && !e.outcome().equals(CallEnd.CANCELLED);
        if (failed) {
            attributes.put(GenAi.ERROR_TYPE, e.outcome());
        }
        event(c, callId, failed ? GenAi.EVENT_CALL_ERROR : GenAi.EVENT_CALL_END, attributes);
        return true;
    }

    private static void rollUp(Tx c, String callId, CallEnd e) throws SQLException {
        String[] key = Sql.one(c, "SELECT started_at, model, provider, key_name, agent FROM calls WHERE id = ?",
                r -> new String[] {Instant.ofEpochMilli(r.getLong(1)).atOffset(ZoneOffset.UTC).toLocalDate()
                        .toString(), r.getString(2), r.getString(3), r.getString(4), r.getString(5)}, callId)
                .orElseThrow();
        Sql.update(c, "INSERT INTO daily_rollup (day, model, provider, key_name, agent, calls, input_tokens,"
                + " output_tokens, cost_nanos, baseline_nanos, cache_hits, saved_nanos)"
                + " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (day, model, provider, key_name, agent) DO UPDATE SET"
                + " calls = daily_rollup.calls + 1, input_tokens = daily_rollup.input_tokens + excluded.input_tokens,"
                + " output_tokens = daily_rollup.output_tokens + excluded.output_tokens,"
                + " cost_nanos = daily_rollup.cost_nanos + excluded.cost_nanos,"
                + " baseline_nanos = daily_rollup.baseline_nanos + excluded.baseline_nanos,"
                + " cache_hits = daily_rollup.cache_hits + excluded.cache_hits,"
                + " saved_nanos = daily_rollup.saved_nanos + excluded.saved_nanos", key[0], key[1], key[2],
                key[3] == null ? "" : key[3], key[4] == null ? "" : key[4], e.tokens().input(), e.tokens().output(),
                Money.nanos(e.costUsd()), Money.nanos(e.baselineCostUsd()), e.cacheHits(), Money.nanos(e.savedUsd()));
    }

    private static void requireCall(Tx c, String callId) throws SQLException {
        if (Sql.one(c, "SELECT 1 FROM calls WHERE id = ?", r -> 1, callId).isEmpty()) {
            throw new IllegalArgumentException("no call " + callId + " in the ledger (a call id comes from begin();"
                    + " old calls are pruned after the retention period)");
        }
    }

    private void event(Tx c, String callId, String name, Map<String, String> attributes)
            throws SQLException {
        Sql.update(c, "INSERT INTO trace_events (call_id, at, name, attributes) VALUES (?, ?, ?, ?)", callId,
                clock.millis(), name, Json.write(attributes));
    }

    @Override
    public void event(String callId, String name, Map<String, String> attributes) {
        TraceEvent checked = new TraceEvent(callId, clock.instant(), name, attributes);
        db.write("record a trace event", c -> {
            requireCall(c, callId);
            Sql.update(c, "INSERT INTO trace_events (call_id, at, name, attributes) VALUES (?, ?, ?, ?)", callId,
                    checked.at().toEpochMilli(), name, Json.write(checked.attributes()));
            return null;
        });
    }

    @Override
    public void adminEvent(String actor, String name, Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(attributes);
        all.put(GenAi.HEARTH_ACTOR, actor == null || actor.isBlank() ? "unknown" : actor);
        TraceEvent checked = new TraceEvent(GenAi.ADMIN_TRAIL, clock.instant(), name, all);
        db.write("record an operator's change", c -> {
            Sql.update(c, "INSERT INTO trace_events (call_id, at, name, attributes) VALUES (?, ?, ?, ?)",
                    GenAi.ADMIN_TRAIL, checked.at().toEpochMilli(), name, Json.write(checked.attributes()));
            return null;
        });
    }

    @Override
    public List<TraceEvent> adminEvents(int limit) {
        List<TraceEvent> newestFirst = new java.util.ArrayList<>(events(GenAi.ADMIN_TRAIL));
        java.util.Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(Math.max(0, limit), newestFirst.size())));
    }

    @Override
    public Optional<CallRecord> call(String callId) {
        return db.read("read call " + callId, c -> Sql.one(c, "SELECT " + CALL_COLUMNS + " WHERE c.id = ?",
                JdbcLedger::record, callId));
    }

    @Override
    public List<CallRecord> recentCalls(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("ask for at least one call; got " + limit);
        }
        return db.read("read recent calls", c -> Sql.query(c, "SELECT " + CALL_COLUMNS
                + " ORDER BY c.started_at DESC, c.id DESC LIMIT ?", JdbcLedger::record, limit));
    }

    private static CallRecord record(ResultSet r) throws SQLException {
        Long ended = Sql.nullableLong(r, "ended_at");
        String asOf = r.getString("price_as_of");
        return new CallRecord(r.getString("id"), Instant.ofEpochMilli(r.getLong("started_at")),
                ended == null ? null : Instant.ofEpochMilli(ended), EntryPoint.valueOf(r.getString("entry_point")),
                new Caller(r.getString("key_name"), r.getString("agent"), r.getString("user_tag")),
                r.getString("task_class"), r.getString("route"), r.getString("route_reason"), r.getString("model"),
                r.getString("provider"), r.getLong("remote") == 1, new Tokens(r.getLong("input_tokens"),
                        r.getLong("cache_read_tokens"), r.getLong("cache_write_tokens"), r.getLong("output_tokens"),
                        r.getLong("reasoning_tokens")), Money.usd(r.getLong("cost_nanos")),
                asOf == null ? null : LocalDate.parse(asOf), Money.usd(r.getLong("baseline_cost_nanos")),
                Sql.nullableLong(r, "ttft_ms"), Sql.nullableLong(r, "total_ms"), r.getString("outcome"),
                r.getInt("fallback_hops"), r.getString("privacy"), r.getInt("cache_hits"),
                Money.usd(r.getLong("saved_nanos")), r.getString("prompt"),
                r.getString("answer"), r.getLong("drafted_tokens"), r.getLong("accepted_draft_tokens"));
    }

    @Override
    public List<TraceEvent> events(String callId) {
        return db.read("read the trace of call " + callId, c -> Sql.query(c, "SELECT at, name, attributes FROM"
                + " trace_events WHERE call_id = ? ORDER BY id", r -> new TraceEvent(callId,
                        Instant.ofEpochMilli(r.getLong(1)), r.getString(2), Json.read(r.getString(3))), callId));
    }

    @Override
    public List<TraceEvent> events(String name, Instant callsSince, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("ask for at least one event; got " + limit);
        }
        // through the calls' start-time index, then each call's events by the call-id index
        return db.read("read the recent " + name + " events", c -> Sql.query(c, "SELECT e.call_id, e.at, e.name,"
                + " e.attributes FROM calls c JOIN trace_events e ON e.call_id = c.id WHERE c.started_at >= ?"
                + " AND e.name = ? ORDER BY e.at DESC, e.id DESC LIMIT ?", r -> new TraceEvent(r.getString(1),
                        Instant.ofEpochMilli(r.getLong(2)), r.getString(3), Json.read(r.getString(4))),
                callsSince.toEpochMilli(), name, limit));
    }

    @Override
    public void feedback(String callId, int score, String note) {
        if (score < 1 || score > 5) {
            throw new IllegalArgumentException("feedback scores run from 1 (useless) to 5 (excellent); got " + score);
        }
        long now = clock.millis();
        db.write("record feedback on call " + callId, c -> {
            requireCall(c, callId);
            String[] call = Sql.one(c, "SELECT model, task_class FROM calls WHERE id = ?",
                    r -> new String[] {r.getString(1), r.getString(2)}, callId).orElseThrow();
            return Sql.update(c, "INSERT INTO feedback (call_id, at, model, task_class, score, note) VALUES"
                    + " (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO UPDATE SET at = excluded.at,"
                    + " score = excluded.score, note = excluded.note", callId, now, call[0],
                    call[1] == null ? "" : call[1], score, Sql.text(note));
        });
    }

    @Override
    public List<Quality> quality() {
        return db.read("read measured quality", c -> Sql.query(c, "SELECT model, task_class, COUNT(*), SUM(score)"
                + " FROM feedback GROUP BY model, task_class ORDER BY model, task_class",
                r -> new Quality(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4))));
    }

    @Override
    public void setBudget(Budget budget) {
        budgets.set(budget);
    }

    @Override
    public boolean removeBudget(Budget.Scope scope, Budget.Period period) {
        return budgets.remove(scope, period);
    }

    @Override
    public List<BudgetStatus> budgets() {
        return budgets.statuses();
    }

    @Override
    public Reservation reserve(String callId, BigDecimal amountUsd, Collection<Budget.Scope> scopes) {
        return budgets.reserve(callId, amountUsd, scopes);
    }

    @Override
    public boolean settle(String callId, BigDecimal actualUsd) {
        return budgets.settle(callId, actualUsd);
    }

    @Override
    public int reconcile() {
        return budgets.reconcile();
    }

    @Override
    public SpendReport spend(YearMonth month, SpendReport.GroupBy by) {
        return Reports.spend(db, month, by);
    }

    @Override
    public int prune(int batchSize) {
        return Reports.prune(db, clock.millis() - config.retention().toMillis(), batchSize);
    }

    @Override
    public ApiKeys keys() {
        return keys;
    }

    @Override
    public ResponseCache responseCache(int maxEntries) {
        return new CacheBook(db, maxEntries);
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "Ledger[" + db.describe() + "]";
    }
}
