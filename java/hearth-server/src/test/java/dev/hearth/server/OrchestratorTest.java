package dev.hearth.server;

import static dev.hearth.server.LiveHearth.JSON;
import static dev.hearth.server.LiveHearth.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.Usage;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.SpendJson;
import dev.hearth.ledger.SpendReport;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.PriceTable;
import dev.hearth.router.TaskClass;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator API against a live server: the synthetic local model, Anthropic and DeepSeek faked on loopback. */
class OrchestratorTest {
    @TempDir
    Path dir;
    private LiveHearth live;

    @BeforeEach
    void start() throws Exception {
        live = LiveHearth.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        live.close();
    }

    private ModelProfile profile(String id) {
        return live.hearth.router().registry().find(id).orElseThrow();
    }

    @Test
    void estimatesEqualCostsComputedByHandFromThePriceTable() throws Exception {
        JsonNode e = ok(live.post("/v1/hearth/estimate-cost", "{'tier':'balanced','usage':{'code':1000,"
                + "'quick_response':3000},'tokens':{'input':800,'output':300}}"));
        Instant at = Instant.parse(e.get("priced_at").asText());
        PriceTable prices = PriceTable.defaults();
        assertThat(e.get("tier").asText()).isEqualTo("balanced");
        assertThat(e.get("tiers").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("budget", "balanced", "premium");
        int remote = 0;
        for (String tier : List.of("budget", "balanced", "premium")) {
            JsonNode t = e.at("/tiers/" + tier);
            BigDecimal total = BigDecimal.ZERO;
            for (JsonNode item : t.get("items")) {
                ModelProfile p = profile(item.get("model").asText());
                assertThat(item.get("input_tokens").asLong()).isEqualTo(800);
                assertThat(item.get("tokens_from").asText()).isEqualTo("request");
                BigDecimal expected;
                if (p.local()) {
                    expected = BigDecimal.ZERO;
                } else {
                    remote++;
                    PriceTable.Price price = prices.price(p.provider(), p.model(), at).orElseThrow();
                    // per million tokens: 800 in and 300 out a call, times the calls a month
                    expected = price.input().multiply(BigDecimal.valueOf(800))
                            .add(price.output().multiply(BigDecimal.valueOf(300)))
                            .multiply(BigDecimal.valueOf(item.get("calls_per_month").asLong()))
                            .divide(BigDecimal.valueOf(1_000_000));
                    assertThat(item.get("price_from").asText()).isEqualTo("price_table");
                }
                assertThat(item.get("monthly_cost_usd").decimalValue()).as(tier + " " + item)
                        .isEqualByComparingTo(expected);
                total = total.add(expected);
            }
            assertThat(t.get("total_usd").decimalValue()).as(tier).isEqualByComparingTo(total);
        }
        assertThat(remote).as("some tier chose a remote model, so prices were checked").isPositive();
        assertThat(e.get("total_usd").decimalValue()).isEqualByComparingTo(e.at("/tiers/balanced/total_usd")
                .decimalValue());
    }

    @Test
    void withoutTokensAnEstimateTakesTheLedgersMeansElseTheStatedDefaults() throws Exception {
        JsonNode before = ok(live.post("/v1/hearth/estimate-cost", "{'usage':{'general':10}}"));
        assertThat(before.at("/items/0/tokens_from").asText()).isEqualTo("default");
        assertThat(before.at("/items/0/input_tokens").asLong()).isEqualTo(1000);
        live.scriptedMix();
        List<CallRecord> ok = live.hearth.ledger().recentCalls(100).stream()
                .filter(c -> "ok".equals(c.outcome())).toList();
        String cls = ok.getFirst().taskClass();
        List<CallRecord> same = ok.stream().filter(c -> c.taskClass().equals(cls)).toList();
        long meanIn = Math.round(same.stream().mapToLong(c -> c.tokens().input()).average().orElseThrow());
        JsonNode after = ok(live.post("/v1/hearth/estimate-cost", "{'usage':{'" + cls + "':10}}"));
        assertThat(after.at("/items/0/tokens_from").asText()).isEqualTo("ledger");
        assertThat(after.at("/items/0/input_tokens").asLong()).isEqualTo(meanIn);
    }

    @Test
    void recommendationsFollowTheTierRules() throws Exception {
        JsonNode r = ok(live.get("/v1/hearth/recommendations/code"));
        List<ModelProfile> available = live.hearth.router().registry().all().stream()
                .filter(p -> live.hearth.router().registry().isAvailable(p)).toList();
        // budget: the cheapest of the models strong at code
        ModelProfile budget = profile(r.at("/tiers/budget/model").asText());
        assertThat(budget.strongAt(TaskClass.CODE)).isTrue();
        for (ModelProfile p : available) {
            if (p.strongAt(TaskClass.CODE)) {
                assertThat(budget.cost(1000, 500)).as("budget vs " + p.id()).isLessThanOrEqualTo(p.cost(1000, 500));
            }
        }
        // premium: the best quality of those not weak at code
        ModelProfile premium = profile(r.at("/tiers/premium/model").asText());
        for (ModelProfile p : available) {
            if (!p.weaknesses().contains(TaskClass.CODE)) {
                assertThat(premium.quality()).as("premium vs " + p.id()).isGreaterThanOrEqualTo(p.quality());
            }
        }
        // balanced: the most quality per dollar
        ModelProfile balanced = profile(r.at("/tiers/balanced/model").asText());
        for (ModelProfile p : available) {
            assertThat(balanced.quality() / (1 + 100 * balanced.cost(1000, 500))).as("balanced vs " + p.id())
                    .isGreaterThanOrEqualTo(p.quality() / (1 + 100 * p.cost(1000, 500)));
        }
        for (String tier : List.of("budget", "balanced", "premium")) {
            assertThat(r.at("/tiers/" + tier + "/reason").asText()).startsWith(tier + ": ");
            assertThat(r.at("/tiers/" + tier + "/task_class").asText()).isEqualTo("code");
        }
        HttpResponse<String> unknown = live.get("/v1/hearth/recommendations/poetry");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/message").asText()).contains("quick_response");
    }

    @Test
    void anAgentIsItsTaskClassOrItsModelForEveryTier() throws Exception {
        live.close();
        Path config = java.nio.file.Files.writeString(dir.resolve("hearth.toml"), """
                [agents]
                librarian = "deepseek-flash"
                debugger = "code"
                """);
        live = LiveHearth.start(dir, java.util.Map.of("HEARTH_CONFIG", config.toString()));
        JsonNode librarian = ok(live.get("/v1/hearth/recommendations/librarian"));
        JsonNode debugger = ok(live.get("/v1/hearth/recommendations/debugger"));
        JsonNode code = ok(live.get("/v1/hearth/recommendations/code"));
        for (String tier : List.of("budget", "balanced", "premium")) {
            assertThat(librarian.at("/tiers/" + tier + "/model").asText()).isEqualTo("deepseek-flash");
            assertThat(librarian.at("/tiers/" + tier + "/reason").asText()).contains("names deepseek-flash");
            assertThat(debugger.at("/tiers/" + tier + "/model")).isEqualTo(code.at("/tiers/" + tier + "/model"));
            assertThat(debugger.at("/tiers/" + tier + "/task_class").asText()).isEqualTo("code");
        }
        JsonNode e = ok(live.post("/v1/hearth/estimate-cost", "{'tier':'budget','usage':{'librarian':250},"
                + "'tokens':{'input':2000,'output':100}}"));
        PriceTable.Price flash = PriceTable.defaults().price("deepseek", "deepseek-flash",
                Instant.parse(e.get("priced_at").asText())).orElseThrow();
        assertThat(e.at("/items/0/monthly_cost_usd").decimalValue()).isEqualByComparingTo(flash.input()
                .multiply(BigDecimal.valueOf(2000)).add(flash.output().multiply(BigDecimal.valueOf(100)))
                .multiply(BigDecimal.valueOf(250)).divide(BigDecimal.valueOf(1_000_000)));
        assertThat(live.post("/v1/hearth/estimate-cost", "{'tier':'cheap','usage':{'code':1}}").statusCode())
                .isEqualTo(400);
        assertThat(live.post("/v1/hearth/estimate-cost", "{'usage':{'code':-1}}").statusCode()).isEqualTo(400);
    }

    @Test
    void spendEqualsTheLedgerAfterScriptedCalls() throws Exception {
        live.scriptedMix();
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        for (SpendReport.GroupBy by : SpendReport.GroupBy.values()) {
            JsonNode spend = ok(live.get("/v1/hearth/spend?month=" + month + "&by=" + by.label()));
            assertThat(spend).as(by.label()).isEqualTo(JSON.readTree(SpendJson.of(live.hearth.ledger()
                    .spend(month, by)).toString()));
        }
        JsonNode byModel = ok(live.get("/v1/hearth/spend?by=model"));
        BigDecimal remoteCost = live.hearth.ledger().recentCalls(100).stream().map(CallRecord::costUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(remoteCost).isPositive();
        assertThat(byModel.get("spend_usd").decimalValue()).isEqualByComparingTo(remoteCost);
        assertThat(byModel.get("rows")).extracting(row -> row.get("key").asText())
                .contains("tiny", LiveHearth.CLAUDE, "deepseek-flash");
        assertThat(live.get("/v1/hearth/spend?month=11-2026").statusCode()).isEqualTo(400);
        assertThat(live.get("/v1/hearth/spend?by=colour").statusCode()).isEqualTo(400);
    }

    @Test
    void feedbackIsRecordedAndMovesMeasuredQuality() throws Exception {
        String id = live.chat(LiveHearth.CLAUDE, "Write a haiku about ledgers.").headers()
                .firstValue("x-hearth-call-id").orElseThrow();
        live.hearth.flushCalls();
        String cls = live.hearth.ledger().call(id).orElseThrow().taskClass();
        assertThat(live.post("/v1/hearth/feedback", "{'request_id':'" + id + "','score':7}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown = live.post("/v1/hearth/feedback", "{'request_id':'nope','score':3}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("call_not_found");
        ok(live.post("/v1/hearth/feedback", "{'request_id':'" + id + "','score':1,'note':'wrong'}"));
        assertThat(live.hearth.ledger().quality()).anySatisfy(q -> {
            assertThat(q.model()).isEqualTo(LiveHearth.CLAUDE);
            assertThat(q.scored()).isEqualTo(1);
        });
        live.restart(); // a fresh Hearth reads callers' scores at once (a running one rereads them every 30 s)
        JsonNode claude = findModel(ok(live.get("/v1/hearth/capabilities")), LiveHearth.CLAUDE);
        double declared = claude.get("declared_quality").asDouble();
        assertThat(claude.at("/measured_quality/" + cls).asDouble()).isLessThan(declared);
        // score 1 is quality 0; the declared quality weighs as five scores
        assertThat(claude.at("/measured_quality/" + cls).asDouble()).isCloseTo(declared * 5 / 6,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void capabilitiesDescribeEveryModelTheRouterKnows() throws Exception {
        JsonNode caps = ok(live.get("/v1/hearth/capabilities"));
        assertThat(caps.get("models")).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrderElementsOf(
                live.hearth.router().registry().all().stream().map(ModelProfile::id).toList());
        JsonNode claude = findModel(caps, LiveHearth.CLAUDE);
        PriceTable.Price price = PriceTable.defaults().price("anthropic", LiveHearth.CLAUDE, Instant.now()).orElseThrow();
        assertThat(claude.at("/prices/input_per_million").decimalValue()).isEqualByComparingTo(price.input());
        assertThat(claude.at("/prices/as_of").asText()).isEqualTo(PriceTable.defaults().asOf().toString());
        assertThat(claude.get("local").asBoolean()).isFalse();
        assertThat(claude.at("/health/state").asText()).isEqualTo("closed");
        JsonNode tiny = findModel(caps, "tiny");
        assertThat(tiny.get("local").asBoolean()).isTrue();
        assertThat(tiny.get("weaknesses")).extracting(JsonNode::asText).contains("math");
    }

    @Test
    void routeExplainsWithoutRunningAndCallsShowTheirTraces() throws Exception {
        int before = live.anthropic.received().size();
        JsonNode d = ok(live.post("/v1/hearth/route", "{'model':'auto','messages':[{'role':'user','content':"
                + "'Write a sonnet about the sea.'}]}"));
        assertThat(live.anthropic.received()).hasSize(before);
        assertThat(d.get("model").asText()).isEqualTo(LiveHearth.CLAUDE);
        assertThat(d.get("reason").asText()).startsWith("premium: ");
        assertThat(d.get("chain").get(0).asText()).isEqualTo(LiveHearth.CLAUDE);
        assertThat(d.get("estimated_cost_usd").asDouble()).isPositive();
        assertThat(live.post("/v1/hearth/route", "{'messages':'nope'}").statusCode()).isEqualTo(400);

        List<String> ids = live.scriptedMix();
        JsonNode calls = ok(live.get("/v1/hearth/calls?last=50"));
        assertThat(calls.get("calls")).hasSize(live.hearth.ledger().recentCalls(50).size());
        assertThat(calls.get("calls")).extracting(c -> c.get("id").asText()).containsAll(ids);
        JsonNode fellBack = ok(live.get("/v1/hearth/calls/" + ids.getLast()));
        assertThat(fellBack.at("/call/fallback_hops").asInt()).isPositive();
        assertThat(fellBack.get("events")).extracting(e -> e.get("name").asText()).contains("hearth.fallback");
        assertThat(live.get("/v1/hearth/calls/unknown").statusCode()).isEqualTo(404);
        assertThat(live.get("/v1/hearth/calls?last=0").statusCode()).isEqualTo(400);

        JsonNode stats = ok(live.get("/v1/hearth/stats?minutes=10"));
        List<CallRecord> recorded = live.hearth.ledger().recentCalls(100);
        assertThat(stats.at("/totals/calls").asLong()).isEqualTo(recorded.size());
        assertThat(stats.at("/totals/fallbacks").asLong()).isEqualTo(recorded.stream()
                .filter(c -> c.fallbackHops() > 0).count());
        assertThat(stats.at("/totals/errors").asLong()).isEqualTo(recorded.stream()
                .filter(c -> !"ok".equals(c.outcome())).count()).isPositive();
        assertThat(stats.at("/series/calls")).hasSize(10);
        JsonNode host = ok(live.get("/v1/hearth/host"));
        assertThat(host.get("loaded")).extracting(m -> m.get("id").asText()).contains("tiny");
        JsonNode tiny = java.util.stream.StreamSupport.stream(host.get("loaded").spliterator(), false)
                .filter(m -> m.get("id").asText().equals("tiny")).findFirst().orElseThrow();
        var engine = live.hearth.engineParams("tiny").orElseThrow();
        assertThat(tiny.get("kv_cache_type").asText()).isEqualTo("f16");
        assertThat(tiny.get("slot_context").asInt()).as("each slot's share of the context")
                .isEqualTo(engine.contextSize() / engine.parallel()).isPositive();
        assertThat(host.get("circuits")).extracting(c -> c.get("model").asText()).contains(LiveHearth.CLAUDE);
    }

    @Test
    void statsGiveInterTokenLatencyAndWhatThePrivacyGuardRefusedByKind() throws Exception {
        live.close();
        live = LiveHearth.start(dir, java.util.Map.of("HEARTH_PRIVACY", "refuse"));
        live.scriptedMix();
        HttpResponse<String> refused = live.chat(LiveHearth.CLAUDE,
                "Deploy with AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and report back.");
        assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
        live.hearth.flushCalls();

        JsonNode stats = ok(live.get("/v1/hearth/stats?minutes=10"));
        List<CallRecord> recorded = live.hearth.ledger().recentCalls(100);
        List<Long> itl = recorded.stream().filter(c -> "ok".equals(c.outcome()) && c.firstTokenMillis() != null
                && c.totalMillis() != null && c.tokens().output() > 1)
                .map(c -> (c.totalMillis() - c.firstTokenMillis()) / (c.tokens().output() - 1)).sorted().toList();
        assertThat(itl).as("answers of more than one token").isNotEmpty();
        assertThat(stats.at("/totals/itl_p50_ms").asLong()).isEqualTo(itl.get((int) Math.ceil(0.5 * itl.size()) - 1));
        assertThat(stats.at("/totals/itl_p95_ms").asLong()).isEqualTo(itl.get((int) Math.ceil(0.95 * itl.size()) - 1));
        assertThat(stats.at("/series/itl_p50_ms")).hasSize(10);
        assertThat(stats.at("/privacy/refused").asLong()).isEqualTo(1);
        assertThat(stats.at("/privacy/refused_kinds").properties()).singleElement().satisfies(kind -> {
            assertThat(kind.getKey()).containsIgnoringCase("aws");
            assertThat(kind.getValue().asLong()).isEqualTo(1);
        });
        assertThat(stats.toString()).as("never the secret").doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    private static JsonNode findModel(JsonNode caps, String id) {
        for (JsonNode m : caps.get("models")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not among " + caps.get("models"));
    }
}
