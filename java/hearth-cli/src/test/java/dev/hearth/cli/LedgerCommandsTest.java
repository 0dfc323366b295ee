package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.Tokens;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hearth keys, spend and traces on a fresh ledger in the test's directory ({@link CleanEnvironment} points
 * HEARTH_LEDGER_PATH there), run in process like {@link HearthCliTest}.
 */
class LedgerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Cli.Outcome run(String... args) {
        return Cli.run(env(), args);
    }

    private Map<String, String> env() {
        return CleanEnvironment.in(dir, "HEARTH_MONTHLY_BUDGET_USD", "10");
    }

    @Test
    void keysAreCreatedListedWithoutTheirSecretsAndRevoked() {
        Cli.Outcome created = run("keys", "create", "team-a", "--monthly-usd", "25", "--rpm", "60", "--models",
                "qwen,claude-sonnet", "--allow-external");
        assertThat(created.code()).as(created.err()).isZero();
        String secret = created.out().strip();
        assertThat(secret).startsWith("hk-");
        assertThat(created.err()).contains("shown only this once");

        Cli.Outcome list = run("keys", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("team-a", secret.substring(0, 10), "active", "25", "60", "yes",
                "qwen,claude-sonnet").doesNotContain(secret.substring(10));

        assertThat(run("keys", "revoke", "team-a").out()).contains("revoked key team-a");
        assertThat(run("keys", "list").out()).contains("revoked");
        try (Ledger ledger = Hearth.openLedger(env())) {
            assertThat(ledger.keys().lookup(secret)).isEmpty();
        }
    }

    @Test
    void keyMistakesSayWhatToDo() {
        Cli.Outcome unknown = run("keys", "revoke", "nobody");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no API key is named 'nobody'", "hearth keys list");
        assertThat(run("keys", "create", "a").code()).isZero();
        Cli.Outcome twice = run("keys", "create", "a");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("already exists");
        assertThat(run("keys", "create", "bad name").err()).contains("letters, digits");
        assertThat(run("keys", "create", "b", "--monthly-usd", "-3").err()).contains("zero or more");
    }

    @Test
    void spendPrintsTheMonthAsJsonWithTheBudgetAndTheRows() throws Exception {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        try (Ledger ledger = Hearth.openLedger(env())) {
            record(ledger, "k1", "claude-sonnet", "anthropic", "0.25", "0.40");
            record(ledger, "k1", "claude-sonnet", "anthropic", "0.05", "0.40");
            record(ledger, null, "qwen", "local", "0", "0.40");
            String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.reserve(id, new BigDecimal("1.5"), java.util.List.of());
        }
        Cli.Outcome o = run("spend", "--json", "--by", "model");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode report = JSON.readTree(o.out());
        assertThat(report.get("month").asText()).isEqualTo(month);
        assertThat(report.get("spend_usd").decimalValue()).isEqualByComparingTo("0.30");
        assertThat(report.get("budget_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(report.get("remaining_usd").decimalValue()).as("the open reservation counts")
                .isEqualByComparingTo("8.5");
        assertThat(report.get("savings_usd").decimalValue()).isEqualByComparingTo("0.90");
        assertThat(report.get("rows")).hasSize(2);
        JsonNode claude = report.get("rows").get(0);
        assertThat(claude.get("key").asText()).isEqualTo("claude-sonnet");
        assertThat(claude.get("calls").asLong()).isEqualTo(2);
        assertThat(claude.get("input_tokens").asLong()).isEqualTo(200);
        assertThat(claude.get("output_tokens").asLong()).isEqualTo(20);
        assertThat(claude.get("cost_usd").decimalValue()).isEqualByComparingTo("0.30");

        Cli.Outcome byKey = run("spend", "--by", "key", "--month", month);
        assertThat(byKey.code()).as(byKey.err()).isZero();
        assertThat(byKey.out()).contains("spend " + month + ": $0.3 of $10 (remaining $8.5)", "k1");
        assertThat(run("spend", "--by", "colour").err()).contains("model, provider, key, agent, day");
        assertThat(run("spend", "--month", "November").err()).contains("YYYY-MM");
    }

    private static void record(Ledger ledger, String key, String model, String provider, String cost,
            String baseline) {
        String id = ledger.begin(new CallStart(EntryPoint.CLI, new Caller(key, null, null), null, "auto", null,
                model, provider, !provider.equals("local"), null));
        ledger.finish(id, CallEnd.ok(Tokens.of(100, 10), new BigDecimal(cost), 50)
                .withBaseline(new BigDecimal(baseline)));
    }

    @Test
    void tracesShowRecentCallsWithTheirEvents() throws Exception {
        String id;
        try (Ledger ledger = Hearth.openLedger(env())) {
            record(ledger, null, "qwen", "local", "0", "0");
            id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.event(id, GenAi.EVENT_FALLBACK, Map.of(GenAi.REQUEST_MODEL, "deepseek-chat"));
            ledger.finish(id, CallEnd.failed("ProviderException", 80));
        }
        Cli.Outcome last = run("traces", "--last", "1", "--json");
        assertThat(last.code()).as(last.err()).isZero();
        JsonNode calls = JSON.readTree(last.out());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("id").asText()).isEqualTo(id);
        assertThat(calls.get(0).get("outcome").asText()).isEqualTo("ProviderException");
        assertThat(calls.get(0).get("events")).extracting(e -> e.get("name").asText())
                .containsExactly(GenAi.EVENT_CALL_START, GenAi.EVENT_FALLBACK, GenAi.EVENT_CALL_ERROR);
        assertThat(calls.get(0).get("events").get(0).get("attributes").get("gen_ai.request.model").asText())
                .isEqualTo("claude-sonnet");

        Cli.Outcome text = run("traces", "--call", id);
        assertThat(text.out()).contains(id, "anthropic/claude-sonnet", "hearth.fallback", "error.type");
        assertThat(run("traces").out().lines().filter(l -> !l.startsWith("  ")).count()).isEqualTo(2);
        assertThat(run("traces", "--call", "nope").err()).contains("no call nope");
    }

    @Test
    void budgetsAreSetListedAndRemovedAndMistakesSayWhatToDo() throws Exception {
        Cli.Outcome set = run("budgets", "set", "provider:anthropic", "--usd", "5", "--soft-usd", "4", "--period",
                "day");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("budget provider anthropic per day: $5 (soft $4)");
        Cli.Outcome list = run("budgets", "list");
        assertThat(list.out()).contains("provider anthropic", "day", "$5", "$4")
                .as("the environment's monthly budget, set by any command that opens the ledger").contains("global");
        JsonNode json = JSON.readTree(run("budgets", "list", "--json").out());
        assertThat(json).hasSize(2);
        assertThat(json.findValuesAsText("name")).contains("anthropic", "*");

        Cli.Outcome removed = run("budgets", "remove", "provider:anthropic", "--period", "day");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(run("budgets", "list").out()).doesNotContain("provider anthropic");

        Cli.Outcome again = run("budgets", "remove", "provider:anthropic", "--period", "day");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("there is no provider anthropic budget per day", "hearth budgets list");
        Cli.Outcome badScope = run("budgets", "set", "team:x", "--usd", "1");
        assertThat(badScope.code()).isEqualTo(2);
        assertThat(badScope.err()).contains("key:NAME, agent:NAME, provider:NAME or model:NAME");
        Cli.Outcome badPeriod = run("budgets", "set", "global", "--usd", "1", "--period", "week");
        assertThat(badPeriod.err()).contains("--period is day or month");
        Cli.Outcome negative = run("budgets", "set", "global", "--usd", "-1");
        assertThat(negative.code()).isEqualTo(2);
    }
}
