package dev.hearth.server;

import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The headers every answer carries, on every route, saying who answered and why: {@code x-hearth-model},
 * {@code x-hearth-provider}, {@code x-hearth-local}, {@code x-hearth-route} (local or remote) and
 * {@code x-hearth-route-reason} and {@code x-hearth-request-id} (the ledger's call id, also as {@code x-hearth-call-id});
 * once the answer is whole also {@code x-hearth-fallbacks} (hops taken) and {@code x-hearth-cost-usd}. A stream's
 * headers go out before its first token, so they name the model the router chose and the call's id; its last event
 * names who answered.
 */
final class AnswerHeaders {
    /** The longest route reason sent; the ledger keeps the whole one. */
    static final int MAX_REASON = 300;

    private AnswerHeaders() {
    }

    /** Before the answer: the router's choice and its reason (empty when it chose nothing). */
    static Map<String, String> planned(RouteDecision decision) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!decision.chain().isEmpty()) {
            who(out, decision.chain().getFirst());
        }
        out.put("x-hearth-route-reason", headerSafe(decision.reason()));
        return out;
    }

    /** After a whole answer: who answered, the call's id, its fallbacks and (when the price table knows) its cost. */
    static Map<String, String> answered(FallbackChain.Routed r, Optional<BigDecimal> cost) {
        Map<String, String> out = new LinkedHashMap<>();
        who(out, r.answeredBy());
        out.put("x-hearth-route-reason", headerSafe(r.decision().reason()));
        out.putAll(callId(r.callId()));
        out.put("x-hearth-fallbacks", Integer.toString(r.hops().size()));
        cost.ifPresent(c -> out.put("x-hearth-cost-usd", c.stripTrailingZeros().toPlainString()));
        out.put(ServedCalls.CACHE_HEADER, r.cache().label());
        return out;
    }

    /** The call's ledger id, as {@code x-hearth-request-id} and {@code x-hearth-call-id} (none when unrecorded). */
    static Map<String, String> callId(String id) {
        return id == null ? Map.of() : Map.of("x-hearth-request-id", id, "x-hearth-call-id", id);
    }

    private static void who(Map<String, String> out, ModelProfile p) {
        out.put("x-hearth-model", headerSafe(p.id()));
        out.put("x-hearth-provider", headerSafe(p.provider()));
        out.put("x-hearth-local", Boolean.toString(p.local()));
        out.put("x-hearth-route", p.local() ? "local" : "remote");
    }

    /** Printable ASCII only (a header cannot carry the rest), cut to {@link #MAX_REASON} characters. */
    static String headerSafe(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : c == '\u2014' || c == '\u2013' ? '-' : '?');
        }
        return b.toString();
    }
}
