package dev.hearth.bench;

import dev.hearth.ledger.Budget;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Completion;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.Recorder;
import dev.hearth.ledger.Tokens;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code ledger} suite, on a fresh SQLite file (and on PostgreSQL too when {@code HEARTH_DATABASE_URL} is set):
 * the commit latency of {@code reserve} (against a global monthly and a model's daily budget), against the floor of
 * one bare single-row INSERT commit through the same driver on the same disk; and settled calls per second, batched
 * off the request path (a {@code Recorder}, up to 100 per transaction) against one {@code settle} + {@code finish} per
 * call.
 */
final class LedgerBench {
    private static final BigDecimal ESTIMATE = new BigDecimal("0.0123");
    private static final BigDecimal ACTUAL = new BigDecimal("0.0042");
    private static final Budget.Scope MODEL = Budget.Scope.model("claude-sonnet");

    private LedgerBench() {
    }

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path dir = Files.createTempDirectory("hearth-ledger-bench");
        try {
            System.out.printf("%nledger suite: %d calls per measurement, %d cores, SQLite WAL synchronous=NORMAL"
                    + " in %s%n", n, Runtime.getRuntime().availableProcessors(), dir);
            long[] floor = bareInserts(dir.resolve("floor.db"), n);
            measure("sqlite", LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("ledger.db"))), n, floor);
            String url = System.getenv("HEARTH_DATABASE_URL");
            if (url != null && !url.isBlank()) {
                measure("postgresql", LedgerConfig.of(LedgerConfig.parseDatabaseUrl(url)), n, null);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void measure(String name, LedgerConfig config, int n, long[] floor) throws InterruptedException {
        try (Ledger ledger = Ledger.open(config.withGlobalMonthlyBudget(new BigDecimal("1000000")))) {
            ledger.setBudget(Budget.of(MODEL, Budget.Period.DAY, new BigDecimal("1000000")));
            reserveAll(ledger, begin(ledger, n)); // warm-up
            List<String> ids = begin(ledger, n);
            long[] reserve = reserveAll(ledger, ids);
            long t0 = System.nanoTime();
            try (Recorder recorder = new Recorder(ledger, 100, n)) {
                for (String id : ids) {
                    recorder.submit(new Completion(id, ACTUAL, CallEnd.ok(Tokens.of(1200, 300), ACTUAL, 900)));
                }
                recorder.flush();
            }
            double batched = n / ((System.nanoTime() - t0) / 1e9);

            List<String> single = begin(ledger, n);
            reserveAll(ledger, single);
            t0 = System.nanoTime();
            for (String id : single) {
                ledger.settle(id, ACTUAL);
                ledger.finish(id, CallEnd.ok(Tokens.of(1200, 300), ACTUAL, 900));
            }
            double oneByOne = n / ((System.nanoTime() - t0) / 1e9);

            // what the front door adds to a local call's request path: a call id, and handing its record to the
            // one writer thread (as dev.hearth.runtime.Calls does); the writer then begins and finishes it
            long[] inline = new long[n];
            long[] handOff = new long[n];
            var writer = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.MILLISECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(10_000), new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                String id = ledger.begin(CallStart.local("tiny"));
                ledger.finish(id, CallEnd.ok(Tokens.of(40, 8), BigDecimal.ZERO, 12));
                inline[i] = System.nanoTime() - t;
            }
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                String id = ledger.newCallId();
                writer.execute(() -> {
                    ledger.begin(id, CallStart.local("tiny"));
                    ledger.finish(id, CallEnd.ok(Tokens.of(40, 8), BigDecimal.ZERO, 12));
                });
                handOff[i] = System.nanoTime() - t;
                if (i % 50 == 49) {
                    Thread.sleep(5); // local calls arrive at the pace a model answers, not back to back
                }
            }
            writer.shutdown();
            writer.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
            Arrays.sort(inline);
            Arrays.sort(handOff);
            System.out.printf("%s local call adds     p50 %7.1f us   p99 %7.1f us   (id + hand-off to the writer; target p99 < 200 us)%n"
                    + "%s   recorded in line   p50 %7.1f us   p99 %7.1f us   (begin + finish: what the hand-off saves)%n",
                    name, pct(handOff, 0.5), pct(handOff, 0.99), name, pct(inline, 0.5), pct(inline, 0.99));
            System.out.printf("%s reserve commit      p50 %7.1f us   p99 %7.1f us   max %8.1f us%n", name,
                    pct(reserve, 0.5), pct(reserve, 0.99), reserve[n - 1] / 1e3);
            if (floor != null) {
                System.out.printf("%s bare INSERT commit  p50 %7.1f us   p99 %7.1f us   (floor: same driver and disk)"
                        + "%n%s reserve / floor     p50 %.2fx   p99 %.2fx%n", name, pct(floor, 0.5),
                        pct(floor, 0.99), name, pct(reserve, 0.5) / pct(floor, 0.5), pct(reserve, 0.99)
                        / pct(floor, 0.99));
            }
            System.out.printf("%s settled calls/s     Recorder (100/tx) %7.0f   one by one %7.0f   ratio %.1fx%n",
                    name, batched, oneByOne, batched / oneByOne);
        }
    }

    private static List<String> begin(Ledger ledger, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(ledger.begin(CallStart.remote("anthropic", "claude-sonnet")));
        }
        return ids;
    }

    private static long[] reserveAll(Ledger ledger, List<String> ids) {
        long[] nanos = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            long t0 = System.nanoTime();
            ledger.reserve(ids.get(i), ESTIMATE, List.of(MODEL));
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** The floor: one single-row INSERT committed per call, nothing else, on an SQLite file set up as the ledger's. */
    private static long[] bareInserts(Path file, int n) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, amount INTEGER NOT NULL)");
            long[] nanos = new long[n];
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (id, amount) VALUES (?, ?)")) {
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < n; i++) {
                        long t0 = System.nanoTime();
                        p.setString(1, round + "-" + i);
                        p.setLong(2, i);
                        p.executeUpdate();
                        nanos[i] = System.nanoTime() - t0;
                    }
                }
            }
            Arrays.sort(nanos);
            return nanos;
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e3;
    }
}
