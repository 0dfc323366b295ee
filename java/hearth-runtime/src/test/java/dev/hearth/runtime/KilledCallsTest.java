package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Ledger;
import dev.hearth.router.PriceTable;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.RecordedRequest;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process making streamed calls to a vendor through the front door is killed with SIGKILL at random moments and
 * started again. Afterwards every request the vendor received is in the ledger exactly once, and what the ledger counts
 * against the month (spent plus still reserved) is never below what the vendor billed.
 */
class KilledCallsTest {
    private static final int CALLS = 200;
    private static final int KILLS = 20;
    private static final Pattern MARKER = Pattern.compile("call-[0-9a-f-]{36}");

    @TempDir
    Path dir;

    /** The child: streams calls, each with a marker of its own, until it has made {@code args[0]} or is killed. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (Hearth hearth = Hearth.fromEnvironment(System.getenv())) {
            for (int i = 0; i < count; i++) {
                hearth.stream(ChatRequest.of("claude-sonnet-4-6", List.of(ChatMessage.user("call-" + UUID.randomUUID())))
                        .withMaxTokens(64), ChatSink.discard());
            }
        }
    }

    @Test
    void everyCallTheVendorReceivedIsInTheLedgerOnceAndNoneIsCountedBelowItsBill() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck")) {
            claude.defaultReply(FakeReply.text("word ".repeat(20).strip()).withTokenDelay(Duration.ofMillis(3)));
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(CleanEnvironment.in(dir, "LLM_STRATEGY", "remote_only", "ANTHROPIC_API_KEY", "ck",
                    "ANTHROPIC_BASE_URL", claude.baseUri().toString(), "HEARTH_MONTHLY_BUDGET_USD", "1000",
                    "HEARTH_LEDGER_STORE_CONTENT", "true"));
            SplittableRandom random = new SplittableRandom(7);
            int kills = 0;
            for (int started = 0; kills < KILLS && started < 2 * KILLS; started++) {
                Process child = start(env, CALLS);
                boolean ended = child.waitFor(700 + random.nextInt(1500), TimeUnit.MILLISECONDS);
                if (!ended) {
                    child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no finally
                    kills++;
                }
            }
            int left = CALLS - claude.received().size();
            if (left > 0) {
                Process last = start(env, left);
                assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(last.exitValue()).isZero();
            }
            assertThat(kills).as("the children were killed mid-run").isEqualTo(KILLS);

            List<String> sent = new ArrayList<>();
            for (RecordedRequest r : claude.received()) {
                Matcher m = MARKER.matcher(r.body());
                assertThat(m.find()).isTrue();
                sent.add(m.group());
            }
            try (Ledger ledger = Hearth.openLedger(env)) {
                Map<String, Integer> recorded = new HashMap<>();
                for (CallRecord c : ledger.recentCalls(100_000)) {
                    if (c.prompt() != null) {
                        recorded.merge(c.prompt(), 1, Integer::sum);
                    }
                }
                for (String marker : sent) {
                    assertThat(recorded.get(marker)).as("call %s in the ledger", marker).isEqualTo(1);
                }
                BigDecimal billed = PriceTable.defaults().cost("anthropic", "claude-sonnet-4-6",
                        new Usage(12, 20, 0, 0, 0), Instant.now()).orElseThrow().multiply(BigDecimal.valueOf(sent.size()));
                BudgetStatus month = ledger.budgets().stream()
                        .filter(b -> b.budget().scope().equals(Budget.Scope.GLOBAL)).findFirst().orElseThrow();
                assertThat(month.spentUsd().add(month.reservedUsd())).as("counted against the month")
                        .isGreaterThanOrEqualTo(billed);
            }
        }
    }

    private static Process start(Map<String, String> env, int calls) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:ActiveProcessorCount=1",
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), KilledCallsTest.class.getName(),
                String.valueOf(calls)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        b.environment().clear();
        b.environment().putAll(env);
        return b.start();
    }
}
