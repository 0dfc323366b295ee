package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process making calls is killed with SIGKILL at random moments (after a random number of sent calls), twice;
 * afterwards every call it sent has its reservation in the ledger, committed before it was sent, and the budget's
 * counters agree with the reservations, to the nano-dollar: no transaction was left half-done. At the next open past
 * the staleness age, what was in flight counts as spent at its estimate.
 */
class KilledProcessTest {
    private static final int KILLS = 2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everySentCallIsReservedAndTheCountersAgreeAfterKills(StoreKind kind) throws Exception {
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config)) {
            ledger.setBudget(Budget.of(Budget.Scope.model("claude-sonnet"), Budget.Period.MONTH,
                    new BigDecimal("1000")));
        }
        Random random = new Random(17);
        List<String> sent = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            sent.addAll(runUntilKilled(config.store(), 5 + random.nextInt(40)));
        }
        assertThat(sent).hasSizeGreaterThanOrEqualTo(KILLS * 5).doesNotHaveDuplicates();

        try (Ledger ledger = Ledger.open(config); Connection c = StoreKind.connect(config.store())) {
            for (String id : sent) {
                assertThat(ledger.call(id)).as("call " + id).isPresent();
            }
            assertThat(count(c, "SELECT COUNT(*) FROM reservations WHERE call_id IN (" + quoted(sent) + ")"))
                    .as("every sent call was reserved before it was sent").isEqualTo(sent.size());
            assertCountersAgree(c);
        }
        var later = new dev.hearth.testkit.ManualClock(Instant.now().plus(Duration.ofHours(1)));
        try (Ledger ledger = Ledger.open(config, later); Connection c = StoreKind.connect(config.store())) {
            assertThat(count(c, "SELECT COUNT(*) FROM reservations WHERE state = 'open'")).isZero();
            assertThat(ledger.budgets().getFirst().reservedUsd()).isZero();
            assertCountersAgree(c);
        }
    }

    /** Starts {@link CallLoop}, kills it with SIGKILL after it has sent {@code calls} calls; returns their ids. */
    private static List<String> runUntilKilled(LedgerConfig.Store store, int calls) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String[] where = ChildStore.args(store);
        Process p = new ProcessBuilder(java, "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CallLoop.class.getName(), where[0], where[1])
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> sent = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (sent.size() < calls && (line = out.readLine()) != null) {
                if (line.startsWith("SENT ")) {
                    sent.add(line.substring(5));
                }
            }
            p.toHandle().destroyForcibly(); // SIGKILL, somewhere in the next call (the pipe stays readable)
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            while ((line = out.readLine()) != null) { // what it printed before it died
                if (line.startsWith("SENT ")) {
                    sent.add(line.substring(5));
                }
            }
        }
        assertThat(sent).as("the child sent calls before it was killed").isNotEmpty();
        return sent;
    }

    /** spent and reserved agree with the reservations: settled at their cost, expired at and open by their estimate. */
    private static void assertCountersAgree(Connection c) throws Exception {
        long spent = count(c, "SELECT COALESCE(SUM(spent_nanos), 0) FROM budget_spend");
        long reserved = count(c, "SELECT COALESCE(SUM(reserved_nanos), 0) FROM budget_spend");
        assertThat(spent).isEqualTo(count(c, "SELECT COALESCE(SUM(CASE state WHEN 'settled' THEN actual_nanos"
                + " WHEN 'expired' THEN amount_nanos ELSE 0 END), 0) FROM reservations"));
        assertThat(reserved).isEqualTo(count(c, "SELECT COALESCE(SUM(amount_nanos), 0) FROM reservations"
                + " WHERE state = 'open'"));
        assertThat(spent + reserved).isPositive();
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String quoted(List<String> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }
}
