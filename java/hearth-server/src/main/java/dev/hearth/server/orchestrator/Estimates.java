package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.Usage;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallRecord;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.BadRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/hearth/estimate-cost}: what a month of calls would cost on a tier, per task or agent and in total,
 * with the other tiers beside it. Tokens per call are the request's {@code tokens}, else the ledger's mean over the
 * recent successful calls of that task class, else {@value #DEFAULT_INPUT} in and {@value #DEFAULT_OUTPUT} out. Costs
 * are the price table's, exact; a local model costs nothing; a model the table lacks is costed at its profile's
 * declared prices and says so.
 */
public final class Estimates {
    static final long DEFAULT_INPUT = 1000;
    static final int DEFAULT_OUTPUT = 500;
    /** How many recent calls the measured means are taken over. */
    static final int MEASURED_OVER = 1000;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Tokens per call of one task, and where they came from: request, ledger or default. */
    record PerCall(long input, int output, String from) {
    }

    private Estimates() {
    }

    public static ObjectNode estimate(Hearth hearth, JsonNode body, Instant at) {
        if (body == null || !body.isObject()) {
            throw new BadRequest(null, "send a JSON object: {\"tier\": \"balanced\", \"usage\": {\"code\": 1000},"
                    + " \"tokens\": {\"input\": 800, \"output\": 300}} (tokens optional)");
        }
        String tier = Tiers.tier(body.path("tier").asText("balanced"));
        JsonNode usage = body.path("usage");
        if (!usage.isObject() || usage.isEmpty()) {
            throw new BadRequest("usage", "usage must map task classes or agents to calls per month, e.g."
                    + " {\"code\": 1000, \"quick_response\": 5000}");
        }
        Map<Tiers.Task, Long> calls = new LinkedHashMap<>();
        for (var e : usage.properties()) {
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new BadRequest("usage", "calls per month of " + e.getKey() + " must be a whole number of at"
                        + " least 0; got " + e.getValue());
            }
            calls.put(Tiers.task(hearth, e.getKey()), e.getValue().asLong());
        }
        JsonNode tokens = body.path("tokens");
        Map<String, long[]> measured = tokens.isMissingNode() || tokens.isNull() ? measured(hearth) : Map.of();
        Map<Tiers.Task, PerCall> perCall = new LinkedHashMap<>();
        calls.keySet().forEach(t -> perCall.put(t, perCall(tokens, measured.get(t.ledgerClass()))));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("tier", tier);
        out.put("currency", hearth.prices().currency());
        out.put("prices_as_of", String.valueOf(hearth.prices().asOf()));
        out.put("priced_at", at.toString()); // where a vendor has off-peak prices, the moment decides which apply
        ObjectNode tiers = JsonNodeFactory.instance.objectNode();
        for (String t : Tiers.NAMES) {
            tiers.set(t, tier(hearth, t, calls, perCall, at));
        }
        out.setAll((ObjectNode) tiers.get(tier));
        out.set("tiers", tiers);
        return out;
    }

    private static ObjectNode tier(Hearth hearth, String tier, Map<Tiers.Task, Long> calls,
            Map<Tiers.Task, PerCall> perCall, Instant at) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        BigDecimal total = BigDecimal.ZERO;
        var items = o.putArray("items");
        for (var e : calls.entrySet()) {
            PerCall tokens = perCall.get(e.getKey());
            RouteDecision d = Tiers.decide(hearth, tier, e.getKey(), tokens.input(), tokens.output());
            ObjectNode item = items.addObject().put("task", e.getKey().name()).put("calls_per_month", e.getValue())
                    .put("input_tokens", tokens.input()).put("output_tokens", tokens.output())
                    .put("tokens_from", tokens.from());
            item.setAll(Decisions.json(d).retain("model", "provider", "local", "reason"));
            if (d.chain().isEmpty()) {
                item.putNull("cost_per_call_usd").putNull("monthly_cost_usd").put("price_from", "none");
                continue;
            }
            ModelProfile p = d.chain().getFirst();
            BigDecimal perCallCost = cost(hearth, p, tokens, at, item);
            BigDecimal monthly = perCallCost.multiply(BigDecimal.valueOf(e.getValue()));
            item.put("cost_per_call_usd", perCallCost).put("monthly_cost_usd", monthly);
            total = total.add(monthly);
        }
        o.put("total_usd", total);
        return o;
    }

    /** One call's cost: zero locally, else the price table's (or the profile's declared prices, said so). */
    static BigDecimal cost(Hearth hearth, ModelProfile p, PerCall tokens, Instant at, ObjectNode item) {
        if (p.local()) {
            item.put("price_from", "local");
            return BigDecimal.ZERO;
        }
        Usage usage = new Usage(tokens.input(), tokens.output(), 0, 0, 0);
        var priced = hearth.prices().cost(p.provider(), p.model(), usage, at);
        if (priced.isPresent()) {
            item.put("price_from", "price_table");
            return priced.get();
        }
        item.put("price_from", "model_profile");
        return BigDecimal.valueOf(p.inputPrice()).multiply(BigDecimal.valueOf(tokens.input()))
                .add(BigDecimal.valueOf(p.outputPrice()).multiply(BigDecimal.valueOf(tokens.output())))
                .divide(MILLION, java.math.MathContext.DECIMAL64);
    }

    private static PerCall perCall(JsonNode tokens, long[] measured) {
        if (tokens.isObject()) {
            JsonNode in = tokens.path("input");
            JsonNode out = tokens.path("output");
            if (!in.canConvertToLong() || !out.canConvertToInt()) {
                throw new BadRequest("tokens", "tokens must be {\"input\": N, \"output\": M}, whole numbers per call");
            }
            return new PerCall(in.asLong(), out.asInt(), "request");
        }
        if (!tokens.isMissingNode() && !tokens.isNull()) {
            throw new BadRequest("tokens", "tokens must be {\"input\": N, \"output\": M}, or left out");
        }
        if (measured != null && measured[0] > 0) {
            return new PerCall(Math.round((double) measured[1] / measured[0]),
                    (int) Math.max(1, Math.round((double) measured[2] / measured[0])), "ledger");
        }
        return new PerCall(DEFAULT_INPUT, DEFAULT_OUTPUT, "default");
    }

    /** Per task class over the recent successful calls: {count, input tokens, output tokens}. */
    static Map<String, long[]> measured(Hearth hearth) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        List<CallRecord> recent = new ArrayList<>(hearth.ledger().recentCalls(MEASURED_OVER));
        for (CallRecord c : recent) {
            if (CallEnd.OK.equals(c.outcome()) && c.taskClass() != null) {
                long[] s = sums.computeIfAbsent(c.taskClass(), k -> new long[3]);
                s[0]++;
                s[1] += c.tokens().input();
                s[2] += c.tokens().output();
            }
        }
        return sums;
    }
}
