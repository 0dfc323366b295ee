package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.router.HealthTracker;
import dev.hearth.router.Measurements;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.TaskClass;
import dev.hearth.runtime.Hearth;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code GET /v1/hearth/capabilities}: every model the router knows, what it is good and bad at, its declared quality
 * and the quality callers' scores measure per task class, its prices with the table's date, context and features,
 * measured speed, and circuit health. And {@code GET /v1/hearth/recommendations/{task}}.
 */
public final class Capabilities {
    private Capabilities() {
    }

    public static ObjectNode of(Hearth hearth, Instant at) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("strategy", hearth.router().config().strategy());
        out.put("external_allowed", hearth.router().config().allowExternal());
        out.put("prices_as_of", String.valueOf(hearth.prices().asOf()));
        out.put("currency", hearth.prices().currency());
        ArrayNode models = out.putArray("models");
        for (ModelProfile p : hearth.router().registry().all()) {
            models.add(model(hearth, p, at));
        }
        return out;
    }

    static ObjectNode model(Hearth hearth, ModelProfile p, Instant at) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("id", p.id()).put("provider", p.provider()).put("model", p.model()).put("local", p.local())
                .put("available", hearth.router().registry().isAvailable(p));
        p.strengths().stream().map(Capabilities::name).sorted().forEach(m.putArray("strengths")::add);
        p.weaknesses().stream().map(Capabilities::name).sorted().forEach(m.putArray("weaknesses")::add);
        m.put("declared_quality", p.quality());
        ObjectNode measured = m.putObject("measured_quality");
        for (TaskClass c : TaskClass.values()) {
            measured.put(name(c), hearth.router().config().quality().of(p, c));
        }
        ObjectNode prices = m.putObject("prices");
        prices.put("as_of", String.valueOf(hearth.prices().asOf()));
        var price = p.local() ? java.util.Optional.<dev.hearth.router.PriceTable.Price>empty()
                : hearth.prices().price(p.provider(), p.model(), at);
        if (price.isPresent()) {
            prices.put("from", "price_table").put("input_per_million", price.get().input())
                    .put("output_per_million", price.get().output())
                    .put("cache_read_per_million", price.get().cacheRead())
                    .put("cache_write_per_million", price.get().cacheWrite());
        } else {
            prices.put("from", p.local() ? "local" : "model_profile").put("input_per_million", p.inputPrice())
                    .put("output_per_million", p.outputPrice());
        }
        m.put("context_window", p.contextWindow()).put("max_output", p.maxOutput()).put("tools", p.tools())
                .put("json_schema", p.jsonSchema());
        Measurements.Speed speed = hearth.measurements().of(p);
        m.putObject("speed").put("ttft_ms", speed.ttftMillis()).put("tokens_per_second", speed.tokensPerSecond())
                .put("measured", speed.measured());
        HealthTracker.Health h = hearth.health().health(p.id());
        m.putObject("health").put("state", h.state()).put("failure_rate", rate(h.failureRate()))
                .put("slow_call_rate", rate(h.slowCallRate())).put("calls", h.calls());
        return m;
    }

    /** The model each tier would choose for one typical call of {@code task}, and why. */
    public static ObjectNode recommendations(Hearth hearth, String task) {
        Tiers.Task t = Tiers.task(hearth, task);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("task", t.name()).put("task_class", t.ledgerClass());
        out.put("input_tokens", Estimates.DEFAULT_INPUT).put("output_tokens", Estimates.DEFAULT_OUTPUT);
        ObjectNode tiers = out.putObject("tiers");
        for (String tier : Tiers.NAMES) {
            tiers.set(tier, Decisions.json(Tiers.decide(hearth, tier, t, Estimates.DEFAULT_INPUT,
                    Estimates.DEFAULT_OUTPUT)));
        }
        return out;
    }

    /** A circuit's rate, or null while it has seen too few calls to have one (the breaker says -1). */
    static Float rate(float r) {
        return r < 0 ? null : r;
    }

    private static String name(TaskClass c) {
        return c.name().toLowerCase(Locale.ROOT);
    }
}
