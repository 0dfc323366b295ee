package dev.hearth.cli;

import static dev.hearth.cli.FleetRequests.some;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.Dollars;
import dev.hearth.api.Usage;
import dev.hearth.cli.FleetRequests.Answer;
import dev.hearth.cli.FleetRequests.Kind;
import dev.hearth.ledger.ApiKeys.KeySpec;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.testkit.RedisServer;
import dev.hearth.testkit.Workers;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code hearth serve} processes behind no load balancer but the test's round robin, sharing one PostgreSQL
 * (ledger, keys, budgets, reservations) and one Redis (rate limits), the vendor faked on loopback: 300 concurrent
 * requests against a global budget that runs out midway and a per-key rate limit, one instance killed with SIGKILL
 * while its calls are held at the vendor, then restarted; then Redis killed, and the limits fall back to each instance
 * while the budget still holds. The scenario reads top-down as named steps; each asserts the guarantee it is named for,
 * with bounds taken from that guarantee (never from how fast this machine happened to be).
 */
class MultiInstanceTest {
    private static final int REQUESTS = 300;
    private static final int RPM = 60;
    private static final int OUTAGE_RPM = 4;
    private static final int OUTAGE_REQUESTS_EACH = 8;
    private static final int CALLS_IN_BUDGET = 30;
    private static final int OUTAGE_CALLS_IN_BUDGET = 5;
    private static final int KILLED = 2;
    private static final String MODEL = "claude-sonnet-4-6";
    private static final Duration WAIT = Duration.ofSeconds(60);
    // every answer carries the same usage, so every call the vendor saw costs it the same
    private static final FakeReply STREAMED = FakeReply.text("one two three four five six")
            .withTokenDelay(Duration.ofMillis(40)).withUsage(new Usage(20, 8, 0, 0, 0));
    // the killed instance's calls stay at the vendor (a stream that stalls) until it dies: it dies mid-call, every time
    private static final FakeReply HELD = STREAMED.withFault(new Fault.StallAfter(1));

    @TempDir
    Path dir;
    private RedisServer redis;
    private FakeAnthropicServer vendor;
    private Ledger ledger;
    private Fleet fleet;
    private FleetRequests requests;

    /** What one load of requests came to: each request's end, how long it took, what the vendor received. */
    record Load(List<Answer> answers, double seconds, List<Integer> vendorSaw) {
        long count(java.util.function.Predicate<Answer> which) {
            return FleetRequests.count(answers, which);
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeServersHoldOneBudgetAndOneRateLimitThroughAKillAndARedisOutage() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); RedisServer r = RedisServer.launch();
                FakeAnthropicServer v = new FakeAnthropicServer("vendor-key")) {
            redis = r;
            vendor = v;
            vendor.defaultReply(STREAMED).replyBy(req -> FleetRequests.number(req.body())
                    .stream().anyMatch(MultiInstanceTest::toTheKilledOne) ? HELD : null);
            LedgerConfig.Postgres store = new LedgerConfig.Postgres("jdbc:postgresql://localhost:" + pg.getPort()
                    + "/postgres", "postgres", null, 4);
            // stale at once: the test reconciles only once no live instance has a call in flight
            try (Ledger l = Ledger.open(LedgerConfig.of(store).withStaleReservationAfter(Duration.ofMillis(1)));
                    Fleet f = new Fleet(dir, environment(pg), 3)) {
                ledger = l;
                fleet = f;
                requests = new FleetRequests(fleet, MODEL);
                run(key("probe", null), key("team", RPM), key("burst", OUTAGE_RPM));
            }
        }
    }

    private void run(String probe, String team, String burst) throws Exception {
        fleet.startAll();
        BigDecimal perCall = warmEachInstance(probe);
        BigDecimal limit = perCall.multiply(BigDecimal.valueOf(fleet.size() + CALLS_IN_BUDGET)).add(half(perCall));
        ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, limit));
        BigDecimal spentBefore = status().spentUsd();

        Load load = loadKillingOneInstanceMidway(team, limit);
        everyAnswerIsOneTheScenarioExpects(load);
        theRateLimitHeldAcrossTheThree(load);
        theBudgetRanOutMidway(load, perCall, limit, limit.subtract(spentBefore));

        int reconciled = reconcileTheKilledInstancesHolds(load, probe);
        everyCallTheVendorSawIsInTheLedgerExactlyOnce(load);
        theVendorBilledNoMoreThanTheBudget(load, perCall, spentBefore, limit);

        fleet.restart(KILLED);
        Load outage = redisStoppedMidRun(burst, perCall);
        System.out.printf("multi-instance: %d requests over 3 servers in %.1f s; %d admitted under %d/min shared,"
                + " %d refused 429; budget $%s: %d ok, %d refused for it, %d lost at the killed instance, %d held"
                + " there at the vendor, %d reservations reconciled; vendor saw %d calls, ledger spent $%s; Redis"
                + " down: %d admitted under %d/min each, %d ok%n", REQUESTS, load.seconds(),
                load.count(Answer::admitted), RPM, load.count(a -> a.kind() == Kind.RATE_LIMITED),
                limit.toPlainString(), load.count(a -> a.kind() == Kind.OK), load.count(a -> a.kind() == Kind.BUDGET),
                load.count(a -> a.kind() == Kind.LOST), heldAtVendor(load.vendorSaw()).size(), reconciled,
                load.vendorSaw().size(), status().spentUsd().toPlainString(), outage.count(Answer::admitted),
                OUTAGE_RPM, outage.count(a -> a.kind() == Kind.OK));
    }

    /** One call through each instance (warm, as a long-running one is); what one call costs, once all are written. */
    private BigDecimal warmEachInstance(String probe) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            Answer first = requests.send(i, probe, -i);
            assertThat(first.kind()).as(first.body()).isEqualTo(Kind.OK);
            ids.add(first.callId());
        }
        // each instance writes its calls' ends off the request path, a few milliseconds after the answer
        await("the warm-up calls' ends in the ledger", () -> ids.stream()
                .allMatch(id -> ledger.call(id).map(c -> c.outcome() != null).orElse(false)));
        List<BigDecimal> costs = ids.stream().map(id -> ledger.call(id).orElseThrow().costUsd()).toList();
        assertThat(costs).as("one usage, one price").containsOnly(costs.getFirst());
        assertThat(costs.getFirst()).isPositive();
        return costs.getFirst();
    }

    /**
     * 300 requests, round robin over the three; the third is killed (SIGKILL) once the vendor holds one of its calls.
     * The killed one's first request goes first and the rest follow once the vendor holds it: all at once, the
     * budget and the shared bucket could go to the other two before the third's first call arrived, and there was
     * then no call of its to kill it in (a CI run waited 60 s for one). While they run, spent + reserved is sampled:
     * it never passes the limit.
     */
    private Load loadKillingOneInstanceMidway(String team, BigDecimal limit) throws Exception {
        int seenBefore = vendor.received().size();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        Workers load = new Workers();
        int first = KILLED + 1; // instanceOf(KILLED + 1) == KILLED
        load.start(() -> answers.add(requests.send(KILLED, team, first)));
        await("request " + first + " held at the vendor", () -> vendorSaw(seenBefore).contains(first));
        for (int n = 1; n <= REQUESTS; n++) {
            int request = n;
            if (request != first) {
                load.start(() -> answers.add(requests.send(instanceOf(request), team, request)));
            }
        }
        Workers killer = new Workers();
        killer.start(() -> {
            await("a call of instance " + KILLED + " at the vendor", () -> !heldAtVendor(vendorSaw(seenBefore))
                    .isEmpty());
            fleet.kill(KILLED);
        });
        while (load.anyAlive()) { // sampling an invariant while the load runs, not timing it
            BudgetStatus s = status();
            assertThat(s.spentUsd().add(s.reservedUsd())).as("spent + reserved during the load").isLessThanOrEqualTo(limit);
            Thread.sleep(50);
        }
        load.join();
        killer.join();
        return new Load(List.copyOf(answers), (System.nanoTime() - started) / 1e9, vendorSaw(seenBefore));
    }

    /** Nothing unexplained: the survivors answered every request; the killed one's calls were cut, none answered. */
    private static void everyAnswerIsOneTheScenarioExpects(Load load) {
        List<Answer> all = load.answers();
        assertThat(all).hasSize(REQUESTS);
        assertThat(load.count(a -> a.kind() == Kind.OTHER)).as(some(all, a -> a.kind() == Kind.OTHER)).isZero();
        assertThat(load.count(a -> a.instance() != KILLED && a.kind() == Kind.LOST)).as("the survivors lost none: "
                + some(all, a -> a.instance() != KILLED && a.kind() == Kind.LOST)).isZero();
        assertThat(load.count(a -> a.instance() == KILLED && a.kind() == Kind.OK)).as("its calls were held until"
                + " it died").isZero();
        assertThat(load.count(a -> a.instance() == KILLED && a.kind() == Kind.LOST)).as("cut by the kill")
                .isPositive();
    }

    /**
     * One token bucket for the key, shared through Redis: in {@code t} seconds the three together let through at most
     * a full bucket plus what refills in {@code t}. Counted as let through: answered or refused for the budget, and
     * the killed instance's calls the vendor saw (the requests the kill cut before the vendor are left out, so the
     * count is a floor of what was admitted).
     */
    private static void theRateLimitHeldAcrossTheThree(Load load) {
        long admitted = load.count(Answer::admitted) + heldAtVendor(load.vendorSaw()).size();
        long bound = RPM + (long) Math.ceil(RPM * load.seconds() / 60);
        assertThat(admitted).as("let through in %.1f s under %d a minute, shared", load.seconds(), RPM)
                .isBetween(1L, bound);
        assertThat(load.count(a -> a.kind() == Kind.RATE_LIMITED)).as("refused 429").isPositive();
    }

    /** Every answered call cost the same and was held against the budget first, so no more fit than it holds. */
    private static void theBudgetRanOutMidway(Load load, BigDecimal perCall, BigDecimal limit, BigDecimal left) {
        long fits = left.divide(perCall, 0, RoundingMode.FLOOR).longValueExact();
        assertThat(load.count(a -> a.kind() == Kind.OK)).as("answered within $%s", left.toPlainString())
                .isBetween(1L, fits);
        assertThat(load.count(a -> a.kind() == Kind.BUDGET)).as("refused for the budget").isPositive();
        assertThat(load.answers()).filteredOn(a -> a.kind() == Kind.BUDGET).as("a refusal names the limit, not"
                + " rounded to a cent").anySatisfy(a -> assertThat(a.body()).contains(Dollars.format(limit)));
    }

    /**
     * Once the survivors have written the ends of the calls they answered (or counted them unrecorded), every open
     * reservation is the killed instance's: reconciled, its calls abandoned and counted as spent at their estimate.
     */
    private int reconcileTheKilledInstancesHolds(Load load, String probe) throws Exception {
        List<String> answered = load.answers().stream().filter(a -> a.kind() == Kind.OK).map(Answer::callId).toList();
        await("the survivors' ends in the ledger", () -> answered.stream().filter(id -> ledger.call(id)
                .map(c -> c.outcome() == null).orElse(true)).count() <= unrecorded(probe));
        int reconciled = ledger.reconcile();
        BudgetStatus after = status();
        assertThat(after.reservedUsd()).as("nothing left reserved").isZero();
        List<CallRecord> calls = ledger.recentCalls(10_000);
        assertThat(calls.stream().filter(c -> "abandoned".equals(c.outcome())).count()).isEqualTo(reconciled);
        assertThat((long) reconciled).as("each call held at the vendor left its reservation open")
                .isGreaterThanOrEqualTo(heldAtVendor(load.vendorSaw()).size());
        return reconciled;
    }

    /**
     * The vendor saw each request once, and the ledger has each of those calls once (found by its stored prompt): an
     * answered one under the id its answer named, one the kill cut as abandoned.
     */
    private void everyCallTheVendorSawIsInTheLedgerExactlyOnce(Load load) {
        List<CallRecord> calls = ledger.recentCalls(10_000);
        assertThat(calls).extracting(CallRecord::id).doesNotHaveDuplicates();
        assertThat(load.vendorSaw()).as("requests the vendor received").doesNotHaveDuplicates();
        Map<Integer, List<CallRecord>> byRequest = calls.stream().filter(c -> FleetRequests.number(c.prompt())
                .isPresent()).collect(Collectors.groupingBy(c -> FleetRequests.number(c.prompt()).getAsInt()));
        Map<Integer, Answer> answers = load.answers().stream().collect(Collectors.toMap(Answer::n,
                Function.identity()));
        for (int n : load.vendorSaw()) {
            List<CallRecord> recorded = byRequest.getOrDefault(n, List.of());
            assertThat(recorded).as("request %d in the ledger", n).hasSize(1);
            Answer a = answers.get(n);
            if (a.kind() == Kind.OK) {
                assertThat(recorded.getFirst().id()).as("request %d's call id", n).isEqualTo(a.callId());
            } else {
                assertThat(a.instance()).as("request %d reached the vendor but was not answered", n).isEqualTo(KILLED);
                assertThat(recorded.getFirst().outcome()).as("request %d, cut by the kill", n).isEqualTo("abandoned");
            }
        }
        Set<Integer> saw = Set.copyOf(load.vendorSaw());
        assertThat(load.answers()).filteredOn(a -> a.kind() == Kind.OK).extracting(Answer::n)
                .as("every answered request reached the vendor").allMatch(saw::contains);
    }

    /**
     * What the vendor bills for the load (each call it saw at one call's price, the held ones as if answered in
     * full) is at most what the ledger counts as spent for it, which is at most the budget.
     */
    private void theVendorBilledNoMoreThanTheBudget(Load load, BigDecimal perCall, BigDecimal spentBefore,
            BigDecimal limit) {
        BigDecimal billed = perCall.multiply(BigDecimal.valueOf(load.vendorSaw().size()));
        BigDecimal spent = status().spentUsd();
        assertThat(spentBefore.add(billed)).as("billed by the vendor, with the warm-up").isLessThanOrEqualTo(spent);
        assertThat(spent).as("spent by the ledger").isLessThanOrEqualTo(limit);
    }

    /**
     * Redis killed while the three run: each instance falls back to a bucket of its own (full, so together they let
     * through more than one limit, each at most its own), and says so in its log; the budget, in PostgreSQL, still
     * holds exactly, and the restarted instance serves.
     */
    private Load redisStoppedMidRun(String burst, BigDecimal perCall) throws Exception {
        redis.stop();
        BigDecimal raised = status().spentUsd().add(perCall.multiply(BigDecimal.valueOf(OUTAGE_CALLS_IN_BUDGET)))
                .add(half(perCall));
        ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, raised));
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        Workers more = new Workers();
        for (int r = 0; r < OUTAGE_REQUESTS_EACH * fleet.size(); r++) {
            int request = REQUESTS + 1 + r;
            more.start(() -> answers.add(requests.send(outageInstanceOf(request), burst, request)));
        }
        more.join();
        Load outage = new Load(List.copyOf(answers), (System.nanoTime() - started) / 1e9, List.of());
        List<Answer> all = outage.answers();
        assertThat(outage.count(a -> a.kind() == Kind.OTHER || a.kind() == Kind.LOST))
                .as(some(all, a -> a.kind() == Kind.OTHER || a.kind() == Kind.LOST)).isZero();
        long each = OUTAGE_RPM + (long) Math.ceil(OUTAGE_RPM * outage.seconds() / 60);
        for (int i = 0; i < fleet.size(); i++) {
            int instance = i;
            assertThat(outage.count(a -> a.instance() == instance && a.admitted()))
                    .as("let through by instance %d alone", i).isLessThanOrEqualTo(each);
            assertThat(fleet.output(i)).as("instance " + i + "'s log")
                    .contains("rate limits cannot reach Redis at " + redis.url());
        }
        assertThat(outage.count(Answer::admitted)).as("more than one shared limit").isGreaterThan(each);
        assertThat(outage.count(a -> a.instance() == KILLED && a.admitted())).as("the restarted instance serves")
                .isPositive();
        assertThat(outage.count(a -> a.kind() == Kind.OK)).as("answered within the raised budget")
                .isBetween(1L, (long) OUTAGE_CALLS_IN_BUDGET);
        BudgetStatus s = status();
        assertThat(s.spentUsd().add(s.reservedUsd())).isLessThanOrEqualTo(raised);
        return outage;
    }

    /** The outage's requests, round robin from the first instance. */
    private static int outageInstanceOf(int n) {
        return (n - REQUESTS - 1) % 3;
    }

    /** The load's request {@code n} goes to instance (n - 1) mod 3. */
    private static int instanceOf(int n) {
        return (n - 1) % 3;
    }

    private static boolean toTheKilledOne(int n) {
        return n >= 1 && n <= REQUESTS && instanceOf(n) == KILLED;
    }

    private static List<Integer> heldAtVendor(List<Integer> vendorSaw) {
        return vendorSaw.stream().filter(MultiInstanceTest::toTheKilledOne).toList();
    }

    /** The numbers of the requests the vendor received after the first {@code skip}. */
    private List<Integer> vendorSaw(int skip) {
        return vendor.received().stream().skip(skip).map(r -> FleetRequests.number(r.body()))
                .filter(java.util.OptionalInt::isPresent).map(java.util.OptionalInt::getAsInt).toList();
    }

    /** Calls the live instances answered but could not write to the ledger (their {@code /metrics}). */
    private long unrecorded(String probe) throws Exception {
        long sum = 0;
        for (int i = 0; i < fleet.size(); i++) {
            if (i == KILLED) {
                continue;
            }
            for (String line : requests.get(i, probe, "/metrics").split("\n")) {
                if (line.startsWith("hearth_calls_unrecorded")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private BudgetStatus status() {
        return ledger.budgets().getFirst();
    }

    private Map<String, String> environment(EmbeddedPostgres pg) {
        return Map.of("HEARTH_DATABASE_URL", "postgresql://postgres@localhost:" + pg.getPort() + "/postgres",
                "HEARTH_REDIS_URL", redis.url(), "ANTHROPIC_API_KEY", "vendor-key", "ANTHROPIC_BASE_URL",
                vendor.baseUri().toString(), "LLM_STRATEGY", "claude_only", "HEARTH_CACHE", "off",
                "HEARTH_LEDGER_STORE_CONTENT", "true", // prompts name the requests: the ledger's calls are found by them
                "MODEL_CACHE_DIR", dir.resolve("models").toString());
    }

    private String key(String name, Integer rpm) {
        return ledger.keys().create(new KeySpec(name, null, rpm, null, List.of(), true, false)).secret();
    }

    private static BigDecimal half(BigDecimal usd) {
        return usd.divide(BigDecimal.TWO, 12, RoundingMode.UP);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds, checking every 50 ms; fails, naming {@code what}, after a minute. */
    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
