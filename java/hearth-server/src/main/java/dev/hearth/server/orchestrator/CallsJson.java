package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.server.openai.BadRequest;
import java.util.TreeMap;

/**
 * {@code GET /v1/hearth/calls?last=N} and {@code GET /v1/hearth/calls/{id}}: recent calls as the ledger has them
 * (never their content), and one call with its trace events.
 */
public final class CallsJson {
    static final int MAX_LAST = 1000;

    private CallsJson() {
    }

    public static ObjectNode recent(Ledger ledger, String last) {
        int n;
        try {
            n = last == null ? 20 : Integer.parseInt(last.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LAST) {
            throw new BadRequest("last", "last must be a whole number from 1 to " + MAX_LAST + "; got " + last);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode calls = out.putArray("calls");
        ledger.recentCalls(n).forEach(c -> calls.add(call(c)));
        return out;
    }

    public static ObjectNode one(Ledger ledger, String id) {
        CallRecord c = ledger.call(id).orElseThrow(() -> new BadRequest(404, "id", "call_not_found", "no call "
                + id + " in the ledger; GET /v1/hearth/calls lists the recent ones"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("call", call(c));
        ArrayNode events = out.putArray("events");
        for (TraceEvent e : ledger.events(id)) {
            ObjectNode ev = events.addObject().put("at", e.at().toString()).put("name", e.name());
            ObjectNode attrs = ev.putObject("attributes");
            new TreeMap<>(e.attributes()).forEach(attrs::put);
        }
        return out;
    }

    static ObjectNode call(CallRecord c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", c.id()).put("started_at", c.startedAt().toString());
        o.put("ended_at", c.endedAt() == null ? null : c.endedAt().toString());
        o.put("entry_point", c.entryPoint().name().toLowerCase(java.util.Locale.ROOT));
        o.put("key", c.caller().keyName()).put("agent", c.caller().agent());
        o.put("task_class", c.taskClass()).put("route", c.route()).put("reason", c.routeReason());
        o.put("model", c.model()).put("provider", c.provider()).put("remote", c.remote());
        o.put("input_tokens", c.tokens().input()).put("output_tokens", c.tokens().output());
        o.put("cost_usd", c.costUsd()).put("baseline_usd", c.baselineCostUsd());
        o.put("ttft_ms", c.firstTokenMillis()).put("total_ms", c.totalMillis());
        o.put("outcome", c.outcome() == null ? "running" : c.outcome());
        o.put("fallback_hops", c.fallbackHops()).put("privacy", c.privacy());
        return o;
    }
}
