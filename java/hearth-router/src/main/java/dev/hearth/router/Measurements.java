package dev.hearth.router;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time to first token and decode speed per model: declared values until calls complete, then an exponentially
 * weighted average of what was measured (the last calls count most). Thread-safe.
 */
public final class Measurements {
    /** Expected speed of a model; {@code measured} says whether it comes from calls or from the declaration. */
    public record Speed(double ttftMillis, double tokensPerSecond, boolean measured) {
    }

    private static final double WEIGHT = 0.2;
    private final Map<String, Speed> speeds = new ConcurrentHashMap<>();

    /** What a model is expected to do before any call: local models start fast and decode slower than vendors. */
    static Speed declared(ModelProfile p) {
        return p.local() ? new Speed(150, 40, false) : new Speed(900, 80, false);
    }

    public Speed of(ModelProfile p) {
        return speeds.getOrDefault(p.id(), declared(p));
    }

    /** Folds in one completed call. */
    public void record(ModelProfile p, double ttftMillis, long outputTokens, double totalMillis) {
        double decodeSeconds = Math.max(1e-3, (totalMillis - ttftMillis) / 1000);
        double tps = outputTokens > 1 ? (outputTokens - 1) / decodeSeconds : Double.NaN;
        speeds.compute(p.id(), (id, old) -> {
            if (old == null || !old.measured()) {
                return new Speed(ttftMillis, Double.isNaN(tps) ? declared(p).tokensPerSecond() : tps, true);
            }
            return new Speed(old.ttftMillis() * (1 - WEIGHT) + ttftMillis * WEIGHT,
                    Double.isNaN(tps) ? old.tokensPerSecond() : old.tokensPerSecond() * (1 - WEIGHT) + tps * WEIGHT,
                    true);
        });
    }
}
