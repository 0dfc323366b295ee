package dev.hearth.ledger;

import dev.hearth.ledger.store.JdbcLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every call, its cost and its trace, durable; budgets that reserve before they spend; API keys. Thread-safe, and
 * safe for several processes on one SQLite file or one PostgreSQL database: counters are changed by conditional SQL
 * updates inside the database's own transactions.
 *
 * <p>A remote call under budgets: {@link #begin} (its id), {@link #reserve} its worst case (committed before the
 * request leaves; refused with {@link BudgetExceededException}), send, {@link #settle} to the real cost, then
 * {@link #finish}. Every write may throw {@link LedgerUnavailableException} when the database cannot be written within
 * {@link LedgerConfig#lockTimeout()}: a caller about to spend money must then refuse the call.
 */
public interface Ledger extends AutoCloseable {
    /** Opens (creating or migrating) the ledger {@code config} names, on the system clock. */
    static Ledger open(LedgerConfig config) {
        return open(config, Clock.systemUTC());
    }

    /**
     * Opens the ledger on {@code clock}: applies pending migrations in one transaction, sets the global monthly budget
     * when the configuration has one, and {@linkplain #reconcile() reconciles} reservations a dead process left open.
     */
    static Ledger open(LedgerConfig config, Clock clock) {
        return JdbcLedger.open(config, clock);
    }

    /** Records a call's start (and a {@link GenAi#EVENT_CALL_START} event); returns its time-ordered id (a UUIDv7). */
    String begin(CallStart start);

    /** A new time-ordered call id (a UUIDv7), written nowhere yet: for {@link #begin(String, CallStart)}. */
    String newCallId();

    /**
     * Records the start of a call under an id from {@link #newCallId()}: for a caller that answers first and records
     * later, off its request path (a call that spends nothing). Returns {@code id}.
     */
    String begin(String id, CallStart start);

    /**
     * Records the start of a call under an id from {@link #newCallId()} and reserves {@code amountUsd} for it as
     * {@link #reserve} does, in one transaction: the one commit a remote call needs before its request leaves. A
     * refused reservation still records the call's start, with its refusal event, then throws.
     *
     * @throws BudgetExceededException when any budget would pass its limit (nothing is reserved)
     */
    Reservation begin(String id, CallStart start, BigDecimal amountUsd, Collection<Budget.Scope> scopes);

    /**
     * Records a call's end (and an end or error event) and adds it to the daily rollups. Idempotent: a call that has
     * already finished is left as it is and {@code false} returned.
     */
    boolean finish(String callId, CallEnd end);

    /**
     * Settles and finishes many calls in one transaction: for recording off the request path, where one commit per
     * call would cost more than the calls' own work. Each completion is idempotent as {@link #settle} and
     * {@link #finish} are. Returns how many calls were newly finished.
     */
    int complete(List<Completion> completions);

    /** Appends a trace event to a call (named with {@link GenAi}'s constants). */
    void event(String callId, String name, Map<String, String> attributes);

    Optional<CallRecord> call(String callId);

    /** The most recent calls, newest first. */
    List<CallRecord> recentCalls(int limit);

    /** A call's trace events in order. */
    List<TraceEvent> events(String callId);

    /**
     * Records a change an operator made (a key created, a budget lowered, a model unloaded) as a trace event of the
     * ledger's admin trail, with who made it ({@link GenAi#HEARTH_ACTOR}).
     */
    void adminEvent(String actor, String name, Map<String, String> attributes);

    /** The admin trail, newest first. */
    List<TraceEvent> adminEvents(int limit);

    /**
     * The events named {@code name} of the calls that started at or after {@code callsSince}, newest first, at most
     * {@code limit}: for counting what happened lately (redactions, fallbacks) without reading each call's trace.
     */
    List<TraceEvent> events(String name, java.time.Instant callsSince, int limit);

    /** Scores a call's answer from 1 to 5; a second score for the same call replaces the first. */
    void feedback(String callId, int score, String note);

    /** Measured quality per model and task class (calls without a task class count under {@code ""}). */
    List<Quality> quality();

    /** Sets (or replaces) a budget. */
    void setBudget(Budget budget);

    /** Removes a budget; its recorded spend stays. Returns whether one was there. */
    boolean removeBudget(Budget.Scope scope, Budget.Period period);

    /** Every budget in its current period. */
    List<BudgetStatus> budgets();

    /**
     * Reserves {@code amountUsd} (rounded up to the nano-dollar) for {@code callId} against every budget of every scope
     * in {@code scopes} ({@link Budget.Scope#GLOBAL} is always added), atomically: all or none. Idempotent by call id:
     * reserving an id again returns the first reservation.
     *
     * @throws BudgetExceededException when any budget would pass its limit (nothing is reserved)
     * @throws LedgerUnavailableException when the ledger cannot write in time
     */
    Reservation reserve(String callId, BigDecimal amountUsd, Collection<Budget.Scope> scopes);

    /**
     * Replaces a reservation by the call's real cost (which may exceed the estimate). Idempotent by call id: returns
     * {@code false} and changes nothing when the call was already settled. A reservation already reconciled as stale
     * is corrected from its estimate to the real cost. A call with no reservation is an
     * {@link IllegalArgumentException}.
     */
    boolean settle(String callId, BigDecimal actualUsd);

    /**
     * Counts reservations open longer than {@link LedgerConfig#staleReservationAfter()} (their process died) as spent
     * at their estimate, marks their calls {@code abandoned}, and returns how many it reconciled. Run at open.
     */
    int reconcile();

    /** A month's spend, grouped. */
    SpendReport spend(YearMonth month, SpendReport.GroupBy groupBy);

    /**
     * Deletes calls (with their events and content) that started before the retention period, {@code batchSize} calls
     * per transaction so writers wait at most one small batch; rollups and feedback stay. Returns how many calls went.
     */
    int prune(int batchSize);

    ApiKeys keys();

    /**
     * The response cache kept in this ledger's database, holding at most {@code maxEntries} answers (the oldest go
     * first): it survives restarts, and every instance on one PostgreSQL database shares it. Closed with the ledger.
     */
    ResponseCache responseCache(int maxEntries);

    /** Closes the connection or pool; idempotent. */
    @Override
    void close();
}
