package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code hearth serve} processes behind no load balancer but the test's round robin, sharing one PostgreSQL
 * (ledger, keys, budgets, reservations) and one Redis (rate limits), the vendor faked on loopback: 300 concurrent
 * requests against a global budget that runs out midway and a per-key rate limit, one instance killed with SIGKILL
 * midway and restarted; then Redis killed, and the limits fall back to each instance while the budget still holds.
 */
class MultiInstanceTest {
    private static final int REQUESTS = 300;
    private static final int RPM = 60;
    private static final int OUTAGE_RPM = 4;
    private static final int CALLS_IN_BUDGET = 30;
    private static final String MODEL = "claude-sonnet-4-6";
    private static final java.util.regex.Pattern CALL_ID = java.util.regex.Pattern.compile("\"call_id\":\"([^\"]+)\"");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * How a request ended: BUDGET is a refusal before sending (the budget, or a ledger that cannot record the call's
     * spend); UNAVAILABLE a 503 because the ledger could not be read (the gate's key lookup, under the load's burst).
     */
    enum Kind { OK, RATE_LIMITED, BUDGET, UNAVAILABLE, LOST, OTHER }

    record Answer(int instance, Kind kind, int status, String callId, String body) {
    }

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void threeServersHoldOneBudgetAndOneRateLimitThroughAKillAndARedisOutage() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); RedisServer redis = RedisServer.launch();
                FakeAnthropicServer vendor = new FakeAnthropicServer("vendor-key")) {
            // streamed, a token every 40 ms: calls stay at the vendor, reservations open, long enough to be killed
            vendor.defaultReply(FakeReply.text("one two three four five six").withTokenDelay(Duration.ofMillis(40))
                    .withUsage(new dev.hearth.api.Usage(20, 8, 0, 0, 0)));
            LedgerConfig.Postgres store = new LedgerConfig.Postgres("jdbc:postgresql://localhost:" + pg.getPort()
                    + "/postgres", "postgres", null, 4);
            Map<String, String> env = Map.of("HEARTH_DATABASE_URL", "postgresql://postgres@localhost:" + pg.getPort()
                    + "/postgres", "HEARTH_REDIS_URL", redis.url(), "ANTHROPIC_API_KEY", "vendor-key",
                    "ANTHROPIC_BASE_URL", vendor.baseUri().toString(), "LLM_STRATEGY", "claude_only", "HEARTH_CACHE",
                    "off", "MODEL_CACHE_DIR", dir.resolve("models").toString());
            // stale at once: the test reconciles only once no live instance has a call in flight
            try (Ledger ledger = Ledger.open(LedgerConfig.of(store).withStaleReservationAfter(Duration.ofMillis(1)));
                    Fleet fleet = new Fleet(dir, env, 3)) {
                String probe = key(ledger, "probe", null);
                String team = key(ledger, "team", RPM);
                String burst = key(ledger, "burst", OUTAGE_RPM);
                fleet.startAll();

                // one call through each (warm, as a long-running instance is), and its cost, before any budget exists
                for (int i = 0; i < fleet.size(); i++) {
                    Answer first = send(fleet, i, probe, -i);
                    assertThat(first.kind()).as(first.body()).isEqualTo(Kind.OK);
                }
                quiet(ledger); // each instance writes its calls' ends off the request path
                BigDecimal perCall = ledger.recentCalls(1).getFirst().costUsd();
                assertThat(perCall).isPositive();
                BigDecimal limit = perCall.multiply(BigDecimal.valueOf(CALLS_IN_BUDGET))
                        .add(perCall.divide(BigDecimal.TWO, 12, RoundingMode.UP));
                ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, limit));
                int vendorBefore = vendor.received().size();

                // 300 at once, round robin over the three; the third killed (SIGKILL) once the vendor has ten calls
                ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
                AtomicReference<Integer> answeredBeforeKill = new AtomicReference<>();
                AtomicReference<BigDecimal> peakReserved = new AtomicReference<>(BigDecimal.ZERO);
                long started = System.nanoTime();
                Workers load = new Workers();
                for (int r = 0; r < REQUESTS; r++) {
                    int request = r;
                    load.start(() -> {
                        Answer a = send(fleet, request % 3, team, request + 1);
                        answers.add(a);
                    });
                }
                Workers side = new Workers();
                side.start(() -> {
                    while (vendor.received().size() - vendorBefore < 10 && answers.size() < REQUESTS) {
                        Thread.sleep(5); // sampling, not timing: calls are streaming, reservations open
                    }
                    answeredBeforeKill.set(answers.size());
                    fleet.kill(2);
                });
                while (answers.size() < REQUESTS) { // sampling, not timing: spent + reserved never passes the limit
                    BudgetStatus s = ledger.budgets().getFirst();
                    assertThat(s.spentUsd().add(s.reservedUsd())).isLessThanOrEqualTo(limit);
                    peakReserved.accumulateAndGet(s.reservedUsd(), BigDecimal::max);
                    Thread.sleep(50);
                }
                load.join();
                side.join();
                double seconds = (System.nanoTime() - started) / 1e9;
                fleet.restart(2);

                // the rate limit held across the three: what the gates let through (answered, any outcome but 429)
                List<Answer> phase1 = List.copyOf(answers);
                long admitted = count(phase1, a -> a.kind() == Kind.OK || a.kind() == Kind.BUDGET);
                long bound = RPM + (long) Math.ceil(RPM * seconds / 60);
                assertThat(count(phase1, a -> a.kind() == Kind.OTHER)).as(other(phase1)).isZero();
                String byInstance = phase1.stream().collect(Collectors.groupingBy(a -> a.instance() + ":" + a.kind(),
                        java.util.TreeMap::new, Collectors.counting())).toString();
                assertThat(answeredBeforeKill.get()).as("killed mid-load; " + byInstance).isLessThan(REQUESTS);
                for (int i = 0; i < 2; i++) {
                    int instance = i;
                    assertThat(count(phase1, a -> a.instance() == instance && a.kind() != Kind.LOST))
                            .as("instance %d kept serving", i).isGreaterThan(REQUESTS / 3 * 9 / 10);
                }
                assertThat(count(phase1, a -> a.kind() == Kind.RATE_LIMITED)).isPositive();
                assertThat(admitted).as("admitted in %.1f s under %d a minute, shared", seconds, RPM)
                        .isBetween(1L, bound);
                // the budget ran out midway
                assertThat(count(phase1, a -> a.kind() == Kind.OK)).isBetween(1L, (long) CALLS_IN_BUDGET);
                assertThat(count(phase1, a -> a.kind() == Kind.BUDGET)).isPositive();

                // the killed instance's open reservations: reconciled (counted as spent, calls abandoned)
                quiet(ledger); // the survivors' last ends are written before the dead one's holds are reconciled
                int reconciled = ledger.reconcile();
                BudgetStatus afterLoad = ledger.budgets().getFirst();
                assertThat(afterLoad.reservedUsd()).isZero();
                assertThat(afterLoad.spentUsd()).isLessThanOrEqualTo(limit);
                List<CallRecord> calls = ledger.recentCalls(10_000);
                assertThat(calls).extracting(CallRecord::id).doesNotHaveDuplicates();
                Set<String> okInLedger = calls.stream().filter(c -> "ok".equals(c.outcome()) && c.remote())
                        .map(CallRecord::id).collect(Collectors.toSet());
                Set<String> okAnswered = phase1.stream().filter(a -> a.kind() == Kind.OK).map(Answer::callId)
                        .collect(Collectors.toSet());
                Set<String> inLedger = calls.stream().map(CallRecord::id).collect(Collectors.toSet());
                assertThat(inLedger).as("every answered call is in the ledger").containsAll(okAnswered);
                // an answered call whose end the busy ledger could not write stays begun (its spend was settled)
                long endUnwritten = okAnswered.stream().filter(id -> !okInLedger.contains(id)).count();
                long abandoned = calls.stream().filter(c -> "abandoned".equals(c.outcome())).count();
                long mayHaveReachedVendor = calls.stream().filter(c -> !"SpendRefusedException".equals(c.outcome())
                        && c.caller().keyName() != null && c.caller().keyName().equals("team")).count();
                long okTeam = calls.stream().filter(c -> "ok".equals(c.outcome()) && "team".equals(c.caller().keyName()))
                        .count();
                int billed = vendor.received().size() - vendorBefore;
                // each call the vendor saw is in the ledger: settled, abandoned by the kill, or failed after it answered
                assertThat((long) billed).isBetween(okTeam, mayHaveReachedVendor);
                // and counted against the budget (an abandoned one at its worst case), which it never passed
                assertThat(perCall.multiply(BigDecimal.valueOf(billed))).as("billed by the vendor")
                        .isLessThanOrEqualTo(afterLoad.spentUsd());
                assertThat(abandoned).isEqualTo(reconciled);

                // Redis down: each instance holds the limit alone; the budget, in PostgreSQL, still holds exactly
                redis.stop();
                BigDecimal raised = afterLoad.spentUsd().add(perCall.multiply(BigDecimal.valueOf(5)))
                        .add(perCall.divide(BigDecimal.TWO, 12, RoundingMode.UP));
                ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, raised));
                ConcurrentLinkedQueue<Answer> outage = new ConcurrentLinkedQueue<>();
                Workers more = new Workers();
                for (int r = 0; r < 8 * fleet.size(); r++) {
                    int request = r;
                    more.start(() -> outage.add(send(fleet, request % 3, burst, REQUESTS + request + 1)));
                }
                more.join();
                List<Answer> phase2 = List.copyOf(outage);
                long outageAdmitted = count(phase2, a -> a.kind() == Kind.OK || a.kind() == Kind.BUDGET);
                assertThat(count(phase2, a -> a.kind() == Kind.OTHER || a.kind() == Kind.LOST)).as(other(phase2))
                        .isZero();
                assertThat(outageAdmitted).as("per instance: more than one limit, at most one each (+1 refill)")
                        .isBetween(OUTAGE_RPM + 1L, 3L * (OUTAGE_RPM + 1));
                assertThat(count(phase2, a -> a.kind() == Kind.OK)).as("requests keep flowing").isBetween(1L, 5L);
                assertThat(phase2).filteredOn(a -> a.instance() == 2 && a.kind() != Kind.RATE_LIMITED)
                        .as("the restarted instance serves").isNotEmpty();
                BudgetStatus afterOutage = ledger.budgets().getFirst();
                assertThat(afterOutage.spentUsd().add(afterOutage.reservedUsd())).isLessThanOrEqualTo(raised);
                for (int i = 0; i < fleet.size(); i++) {
                    assertThat(fleet.output(i)).as("instance " + i + "'s log")
                            .contains("rate limits cannot reach Redis at " + redis.url());
                }

                System.out.printf("multi-instance: %d requests over 3 servers in %.1f s; rate limit %d/min shared:"
                        + " %d admitted (bound %d), %d refused 429; budget $%s (%d calls of $%s): %d answered ok,"
                        + " %d refused for the budget, %d lost (%d at the killed one, killed after %d answers);"
                        + " %d answered 503 (ledger busy), %d answered whose end the ledger could not write; vendor billed %d calls ($%s), ledger spent $%s; by instance %s;"
                        + " peak reserved $%s; %d reservations of the killed instance reconciled; Redis down:"
                        + " %d admitted under %d/min per instance, %d ok within the raised budget%n",
                        REQUESTS, seconds, RPM, admitted, bound, count(phase1, a -> a.kind() == Kind.RATE_LIMITED),
                        limit.toPlainString(), CALLS_IN_BUDGET, perCall.toPlainString(),
                        count(phase1, a -> a.kind() == Kind.OK), count(phase1, a -> a.kind() == Kind.BUDGET),
                        count(phase1, a -> a.kind() == Kind.LOST),
                        count(phase1, a -> a.kind() == Kind.LOST && a.instance() == 2), answeredBeforeKill.get(),
                        count(phase1, a -> a.kind() == Kind.UNAVAILABLE), endUnwritten, billed,
                        perCall.multiply(BigDecimal.valueOf(billed)).toPlainString(),
                        afterLoad.spentUsd().toPlainString(), byInstance,
                        peakReserved.get().toPlainString(), reconciled, outageAdmitted, OUTAGE_RPM,
                        count(phase2, a -> a.kind() == Kind.OK));
            }
        }
    }

    /**
     * Waits (at most 20 s) until the ledger stops changing: the instances write each call's end, settlement and events
     * off the request path, a few milliseconds after the answer; a killed instance's holds stay open for good.
     */
    private static void quiet(Ledger ledger) throws InterruptedException {
        String last = null;
        for (int i = 0; i < 100; i++) {
            String now = ledger.budgets() + " " + ledger.recentCalls(10_000).stream()
                    .map(c -> c.id() + c.outcome() + c.costUsd()).toList().hashCode();
            if (now.equals(last)) {
                return;
            }
            last = now;
            Thread.sleep(200);
        }
    }

    private static String key(Ledger ledger, String name, Integer rpm) {
        return ledger.keys().create(new KeySpec(name, null, rpm, null, List.of(), true, false)).secret();
    }

    private Answer send(Fleet fleet, int instance, String secret, int n) throws InterruptedException {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"request " + n + "\"}]}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(fleet.base(instance)
                    .resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("authorization", "Bearer " + secret).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String code = r.statusCode() == 200 ? "" : errorCode(r.body());
            Kind kind = switch (code) {
                case "" -> r.statusCode() == 200 ? Kind.OK : Kind.OTHER;
                case "rate_limit_exceeded" -> Kind.RATE_LIMITED;
                case "insufficient_quota" -> Kind.BUDGET; // the ledger refused the reservation
                case "route_rejected" -> r.body().contains("budget") ? Kind.BUDGET : Kind.OTHER; // the router saw it spent
                case "ledger_unavailable" -> Kind.UNAVAILABLE;
                default -> Kind.OTHER;
            };
            java.util.regex.Matcher id = CALL_ID.matcher(r.body()); // a stream names its call in its last event
            if (kind == Kind.OK && !(r.body().contains("data: [DONE]") && id.find())) {
                kind = Kind.LOST; // cut mid-stream
            }
            return new Answer(instance, kind, r.statusCode(), kind == Kind.OK ? id.group(1) : null, r.body());
        } catch (IOException e) {
            return new Answer(instance, Kind.LOST, 0, null, e.toString());
        }
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static long count(List<Answer> answers, Predicate<Answer> which) {
        return answers.stream().filter(which).count();
    }

    private static String other(List<Answer> answers) {
        return answers.stream().filter(a -> a.kind() == Kind.OTHER || a.kind() == Kind.LOST).limit(3)
                .map(a -> a.status() + " " + a.body()).toList().toString();
    }
}
