package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.SpendReport;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Chromium (the distribution's, scripts/install-browser.sh) driven by playwright-core
 * (scripts/install-npm-clients.sh) after a scripted mix of local, remote, failed, fallen-back and redacted calls. The
 * page's numbers equal the ledger's, its charts drew points, it logs no console errors, a call's trace opens from the
 * keyboard, and a screenshot is left at target/dashboard.png for a person to see; once a key exists, the server's own gate
 * answers the page 401 until it asks for the key once and sends it.
 */
class DashboardBrowserTest {
    @TempDir
    Path dir;

    static Path chromium() {
        String set = System.getenv("HEARTH_CHROMIUM");
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "chromium");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("chromium is not installed; run scripts/install-browser.sh (scripts/test.sh does),"
                + " or set HEARTH_CHROMIUM to a Chromium binary");
    }

    @Test
    void thePageShowsTheLedgersNumbersAndDrawsItsCharts() throws Exception {
        NodeClients.require("playwright-core");
        Path browser = chromium();
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (LiveHearth live = LiveHearth.start(dir, Map.of("HEARTH_MONTHLY_BUDGET_USD", "5"))) {
            live.scriptedMix();
            assertThat(live.chat("deepseek-flash", "Log in with PASSWORD=Zq8vN3kW7pLx2Rt and list the files.")
                    .statusCode()).isEqualTo(200);
            live.hearth.flushCalls();

            JsonNode page = NodeClients.run(dir, "dashboard.cjs", "http://127.0.0.1:" + live.server.port(),
                    screenshot.toString(), browser.toString());

            assertThat(page.get("consoleErrors")).as("console errors").isEmpty();
            Ledger ledger = live.hearth.ledger();
            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            SpendReport byModel = ledger.spend(month, SpendReport.GroupBy.MODEL);
            JsonNode n = page.get("numbers");
            assertThat(value(n, "spend-month")).isEqualByComparingTo(byModel.spendUsd()).isPositive();
            assertThat(value(n, "budget")).isEqualByComparingTo(byModel.budgetUsd());
            assertThat(value(n, "remaining")).isEqualByComparingTo(byModel.remainingUsd());
            assertThat(value(n, "savings")).isEqualByComparingTo(byModel.savingsUsd());
            BigDecimal today = ledger.spend(month, SpendReport.GroupBy.DAY).rows().stream()
                    .filter(r -> r.key().equals(LocalDate.now(ZoneOffset.UTC).toString()))
                    .map(SpendReport.Row::costUsd).findFirst().orElse(BigDecimal.ZERO);
            assertThat(value(n, "spend-today")).isEqualByComparingTo(today);
            Map<String, BigDecimal> rows = new HashMap<>();
            page.get("spendRows").forEach(r -> rows.put(r.get("key").asText(), new BigDecimal(r.get("cost").asText())));
            assertThat(rows).hasSize(byModel.rows().size());
            byModel.rows().forEach(r -> assertThat(rows.get(r.key())).as(r.key()).isEqualByComparingTo(r.costUsd()));

            List<CallRecord> calls = ledger.recentCalls(100);
            long errors = calls.stream().filter(c -> !"ok".equals(c.outcome())).count();
            long fallbacks = calls.stream().filter(c -> c.fallbackHops() > 0).count();
            long local = calls.stream().filter(c -> "ok".equals(c.outcome()) && !c.remote()).count();
            long remote = calls.stream().filter(c -> "ok".equals(c.outcome()) && c.remote()).count();
            assertThat(value(n, "calls-total").longValue()).isEqualTo(calls.size());
            assertThat(value(n, "errors-total").longValue()).isEqualTo(errors).isPositive();
            assertThat(value(n, "fallbacks-total").longValue()).isEqualTo(fallbacks).isPositive();
            assertThat(value(n, "local-share").doubleValue()).isCloseTo((double) local / (local + remote),
                    org.assertj.core.data.Offset.offset(1e-9));
            List<Long> ttft = calls.stream().map(CallRecord::firstTokenMillis).filter(t -> t != null).sorted().toList();
            assertThat(value(n, "ttft-p50").longValue()).isEqualTo(ttft.get((int) Math.ceil(0.5 * ttft.size()) - 1));
            assertThat(value(n, "ttft-p95").longValue()).isEqualTo(ttft.get((int) Math.ceil(0.95 * ttft.size()) - 1));
            List<Long> itl = calls.stream().filter(c -> "ok".equals(c.outcome()) && c.firstTokenMillis() != null
                    && c.totalMillis() != null && c.tokens().output() > 1)
                    .map(c -> (c.totalMillis() - c.firstTokenMillis()) / (c.tokens().output() - 1)).sorted().toList();
            assertThat(value(n, "itl-p50").longValue()).isEqualTo(itl.get((int) Math.ceil(0.5 * itl.size()) - 1));
            long redactions = calls.stream().flatMap(c -> ledger.events(c.id()).stream())
                    .filter(e -> e.name().equals(GenAi.EVENT_REDACTED))
                    .mapToLong(e -> e.attributes().get("hearth.findings").split(",").length).sum();
            assertThat(value(n, "privacy-redactions").longValue()).isEqualTo(redactions).isPositive();

            assertThat(page.get("callRows")).extracting(JsonNode::asText).containsExactlyElementsOf(
                    calls.stream().limit(25).map(CallRecord::id).toList());
            JsonNode charts = page.get("charts");
            assertThat(charts.properties()).extracting(Map.Entry::getKey)
                    .contains("burn", "calls", "ttft", "itl", "errors", "share");
            charts.properties().forEach(c -> {
                assertThat(c.getValue().get("canvas").asBoolean()).as(c.getKey()).isTrue();
                assertThat(c.getValue().at("/points/0").asInt()).as(c.getKey() + " drew points").isPositive();
            });
            assertThat(charts.at("/calls/sums/0").asLong()).as("calls charted").isEqualTo(calls.size());

            assertThat(page.get("firstFocus").asText()).startsWith("BUTTON:");
            String traced = page.at("/trace/id").asText();
            assertThat(page.at("/trace/events").asInt()).isEqualTo(ledger.events(traced).size()).isPositive();
            assertThat(page.at("/trace/focused").asText()).isEqualTo("trace");


            // behind keys: the server's real gate answers the page 401 until it sends the operator's key
            HttpResponse<String> made = live.post("/v1/hearth/admin/keys", "{\"name\":\"ops\",\"admin\":true}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String secret = LiveHearth.JSON.readTree(made.body()).get("secret").asText();
            JsonNode gated = NodeClients.run(dir, "dashboard.cjs", "http://127.0.0.1:" + live.server.port(), "-",
                    browser.toString(), secret);
            assertThat(gated.get("consoleErrors")).as("console errors").isEmpty();
            JsonNode key = gated.get("key");
            assertThat(key.get("askedAfter").asInt()).as("401s from the gate before the page asked").isPositive();
            assertThat(key.get("formHidden").asBoolean()).isTrue();
            assertThat(key.get("stored").asText()).isEqualTo(secret);
            assertThat(key.get("okWithKey").asInt()).as("answers to requests that carried the key").isPositive();
            assertThat(key.get("unauthorized").asInt()).as("no 401 after the key was given")
                    .isEqualTo(key.get("askedAfter").asInt());
            assertThat(key.get("callsShown").asLong()).as("the page drew the ledger's data")
                    .isEqualTo(ledger.recentCalls(100).size());
            assertThat(gated.get("keyFormFocused").asText()).isEqualTo("key-input");
        }
        assertThat(screenshot).isNotEmptyFile();
    }

    private static BigDecimal value(JsonNode numbers, String testid) {
        JsonNode v = numbers.path(testid).path("value");
        assertThat(v.isTextual() && !v.asText().isEmpty()).as(testid + " shows a value: " + numbers.path(testid))
                .isTrue();
        return new BigDecimal(v.asText());
    }
}
