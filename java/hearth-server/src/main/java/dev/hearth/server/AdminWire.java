package dev.hearth.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.host.ModelHost;
import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.HealthTracker;
import dev.hearth.router.ModelProfile;
import dev.hearth.runtime.Hearth;
import java.util.List;
import java.util.Map;

/** The admin API's JSON: keys (never their secrets), budgets, models, health, configuration, the trail. */
final class AdminWire {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AdminWire() {
    }

    /** A discovery scan: each model with its source, and each file or server skipped with why. */
    static ObjectNode scan(dev.hearth.runtime.ModelDiscovery.Scan scan) {
        ObjectNode o = JSON.objectNode().put("scanned_at", scan.at().toString());
        ArrayNode models = o.putArray("models");
        for (dev.hearth.runtime.DiscoveredModel m : scan.models()) {
            models.addObject().put("name", m.name()).put("source", m.source()).put("kind", m.kind())
                    .put("shape", m.shape()).put("quantization", m.quantization()).put("license", m.licence())
                    .put("bytes", m.bytes()).put("memory_bytes", m.memoryBytes()).put("health", m.health());
        }
        ArrayNode skipped = o.putArray("skipped");
        scan.skipped().forEach(skipped::add);
        return o;
    }

    static ObjectNode key(ApiKeys.ApiKey k) {
        ObjectNode o = JSON.objectNode().put("name", k.name()).put("prefix", k.prefix())
                .put("created_at", k.createdAt().toString()).put("revoked", k.revoked())
                .put("allow_external", k.allowExternal()).put("admin", k.admin());
        o.put("monthly_usd", k.monthlyUsd());
        if (k.rpm() == null) {
            o.putNull("rpm");
        } else {
            o.put("rpm", k.rpm());
        }
        if (k.tpm() == null) {
            o.putNull("tpm");
        } else {
            o.put("tpm", k.tpm());
        }
        ArrayNode models = o.putArray("models");
        k.allowedModels().forEach(models::add);
        return o;
    }

    static ObjectNode keys(List<ApiKeys.ApiKey> keys) {
        ObjectNode o = JSON.objectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        keys.forEach(k -> data.add(key(k)));
        return o;
    }

    static ArrayNode budgets(List<BudgetStatus> budgets) {
        return dev.hearth.ledger.SpendJson.budgets(budgets);
    }

    static ObjectNode models(Hearth hearth) throws InterruptedException {
        Map<String, ModelHost.LoadedModel> loaded = new java.util.HashMap<>();
        for (ModelHost.LoadedModel m : hearth.host().loaded()) {
            loaded.put(m.id(), m);
        }
        ObjectNode o = JSON.objectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        for (ModelProfile p : hearth.router().registry().all()) {
            ObjectNode m = data.addObject().put("id", p.id()).put("provider", p.provider()).put("local", p.local());
            ModelHost.LoadedModel l = loaded.get(p.id());
            m.put("loaded", l != null);
            if (l != null) {
                m.put("leases", l.leases()).put("bytes", l.placement().estimate().total())
                        .put("expires_at", l.expiresAt() == null ? null : l.expiresAt().toString());
            }
        }
        return o;
    }

    static ObjectNode health(Hearth hearth) {
        ObjectNode o = JSON.objectNode();
        for (ModelProfile p : hearth.router().registry().all()) {
            HealthTracker.Health h = hearth.health().health(p.id());
            ObjectNode m = o.putObject(p.id()).put("state", h.state()).put("calls", h.calls());
            if (h.failureRate() >= 0) {
                m.put("failure_rate", h.failureRate());
            } else {
                m.putNull("failure_rate"); // too few calls to say
            }
        }
        return o;
    }

    static ObjectNode config(Map<String, String> settings) {
        ObjectNode o = JSON.objectNode();
        settings.forEach(o::put);
        return o;
    }

    static ArrayNode trail(List<TraceEvent> events) {
        ArrayNode out = JSON.arrayNode();
        for (TraceEvent e : events) {
            ObjectNode t = out.addObject().put("at", e.at().toString()).put("name", e.name());
            ObjectNode attributes = t.putObject("attributes");
            e.attributes().forEach(attributes::put);
        }
        return out;
    }
}
