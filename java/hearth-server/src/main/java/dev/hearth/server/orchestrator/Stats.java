package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.PrivacyRefusedException;
import dev.hearth.server.openai.BadRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/hearth/stats?minutes=N}: the last N minutes of calls from the ledger, per minute (calls, errors,
 * fallbacks, local and remote answers, time to first token p50/p95) and in total, with what the privacy guard redacted
 * (counts by kind, from the calls' trace events; never the secrets) and refused. Reads at most {@value #MAX_CALLS}
 * recent calls.
 */
public final class Stats {
    static final int MAX_CALLS = 5000;
    static final int MAX_MINUTES = 24 * 60;
    private static final String REFUSED = PrivacyRefusedException.class.getSimpleName();

    private Stats() {
    }

    public static ObjectNode of(Ledger ledger, String minutesParam, Instant now) {
        int minutes;
        try {
            minutes = minutesParam == null ? 60 : Integer.parseInt(minutesParam.strip());
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new BadRequest("minutes", "minutes must be a whole number from 1 to " + MAX_MINUTES + "; got "
                    + minutesParam);
        }
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1));
        List<CallRecord> calls = ledger.recentCalls(MAX_CALLS).stream()
                .filter(c -> !c.startedAt().isBefore(from)).toList();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("minutes", minutes).put("from", from.toString());
        out.set("series", series(calls, from, minutes));
        out.set("totals", totals(calls));
        out.set("privacy", privacy(ledger, calls, from));
        return out;
    }

    private static ObjectNode series(List<CallRecord> calls, Instant from, int minutes) {
        List<List<CallRecord>> buckets = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            buckets.add(new ArrayList<>());
        }
        for (CallRecord c : calls) {
            int i = (int) Duration.between(from, c.startedAt()).toMinutes();
            if (i >= 0 && i < minutes) {
                buckets.get(i).add(c);
            }
        }
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        ArrayNode t = s.putArray("t");
        ArrayNode n = s.putArray("calls");
        ArrayNode errors = s.putArray("errors");
        ArrayNode fallbacks = s.putArray("fallbacks");
        ArrayNode local = s.putArray("local");
        ArrayNode remote = s.putArray("remote");
        ArrayNode p50 = s.putArray("ttft_p50_ms");
        ArrayNode p95 = s.putArray("ttft_p95_ms");
        ArrayNode itl50 = s.putArray("itl_p50_ms");
        ArrayNode itl95 = s.putArray("itl_p95_ms");
        for (int i = 0; i < minutes; i++) {
            List<CallRecord> b = buckets.get(i);
            t.add(from.plus(Duration.ofMinutes(i)).getEpochSecond());
            n.add(b.size());
            errors.add(b.stream().filter(Stats::failed).count());
            fallbacks.add(b.stream().filter(c -> c.fallbackHops() > 0).count());
            local.add(b.stream().filter(c -> answered(c) && !c.remote()).count());
            remote.add(b.stream().filter(c -> answered(c) && c.remote()).count());
            List<Long> ttft = b.stream().map(CallRecord::firstTokenMillis).filter(x -> x != null).sorted().toList();
            p50.add(percentile(ttft, 50));
            p95.add(percentile(ttft, 95));
            List<Long> itl = interTokenMillis(b);
            itl50.add(percentile(itl, 50));
            itl95.add(percentile(itl, 95));
        }
        return s;
    }

    private static ObjectNode totals(List<CallRecord> calls) {
        long n = calls.size();
        long errors = calls.stream().filter(Stats::failed).count();
        long fallbacks = calls.stream().filter(c -> c.fallbackHops() > 0).count();
        long local = calls.stream().filter(c -> answered(c) && !c.remote()).count();
        long remote = calls.stream().filter(c -> answered(c) && c.remote()).count();
        List<Long> ttft = calls.stream().map(CallRecord::firstTokenMillis).filter(x -> x != null).sorted().toList();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("calls", n).put("errors", errors).put("fallbacks", fallbacks).put("local", local).put("remote", remote);
        o.put("error_rate", n == 0 ? 0 : (double) errors / n).put("fallback_rate", n == 0 ? 0 : (double) fallbacks / n);
        o.put("local_share", local + remote == 0 ? 0 : (double) local / (local + remote));
        o.set("ttft_p50_ms", JsonNodeFactory.instance.numberNode(percentile(ttft, 50)));
        o.set("ttft_p95_ms", JsonNodeFactory.instance.numberNode(percentile(ttft, 95)));
        List<Long> itl = interTokenMillis(calls);
        o.set("itl_p50_ms", JsonNodeFactory.instance.numberNode(percentile(itl, 50)));
        o.set("itl_p95_ms", JsonNodeFactory.instance.numberNode(percentile(itl, 95)));
        return o;
    }

    /**
     * Each answered call's mean time between tokens after the first ((total - first token) / (output tokens - 1)),
     * sorted; calls of fewer than two output tokens have none.
     */
    static List<Long> interTokenMillis(List<CallRecord> calls) {
        return calls.stream().filter(c -> answered(c) && c.firstTokenMillis() != null
                && c.totalMillis() != null && c.tokens().output() > 1)
                .map(c -> Math.max(0, c.totalMillis() - c.firstTokenMillis()) / (c.tokens().output() - 1)).sorted()
                .toList();
    }

    /** Redactions and refusals by kind (each call's findings, from its trace) and refused calls; counts only. */
    private static ObjectNode privacy(Ledger ledger, List<CallRecord> calls, Instant from) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Map<String, Long> redacted = byKind(ledger, GenAi.EVENT_REDACTED, from);
        o.putObject("redacted").setAll(asJson(redacted));
        o.put("redactions", redacted.values().stream().mapToLong(Long::longValue).sum());
        o.put("refused", calls.stream().filter(c -> REFUSED.equals(c.outcome())).count());
        o.putObject("refused_kinds").setAll(asJson(byKind(ledger, GenAi.EVENT_REFUSED, from)));
        return o;
    }

    private static Map<String, Long> byKind(Ledger ledger, String event, Instant from) {
        Map<String, Long> counts = new TreeMap<>();
        for (TraceEvent e : ledger.events(event, from, MAX_CALLS)) {
            String findings = e.attributes().get("hearth.findings");
            for (String kind : findings == null ? new String[0] : findings.split(",\\s*")) {
                if (!kind.isBlank()) {
                    counts.merge(kind.strip(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static ObjectNode asJson(Map<String, Long> counts) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        counts.forEach(o::put);
        return o;
    }

    private static boolean failed(CallRecord c) {
        return c.outcome() != null && !c.outcome().equals(CallEnd.OK) && !c.outcome().equals(CallEnd.CANCELLED);
    }

    private static boolean answered(CallRecord c) {
        return CallEnd.OK.equals(c.outcome());
    }

    /** The nearest-rank percentile of sorted values; null when there are none. */
    static Long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
