package dev.hearth.router;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What callers' scores say of each model's quality, blended into the declared one for the tiers: with {@code n}
 * scores of mean {@code m} (1–5) a model's quality at a task class is {@code (declared·K + (m−1)/4·n) / (K + n)}, so
 * a few scores nudge it and many outweigh the declaration ({@code K} = {@value #PRIOR}). Scores for the task class
 * count when there are any, else the model's scores over every class. Read from its source (the ledger) at most once
 * every {@link #REFRESH_MILLIS} ms; a source that fails leaves the last reading. Thread-safe.
 */
public final class MeasuredQuality {
    /** How many scores the declared quality weighs as. */
    static final int PRIOR = 5;
    static final long REFRESH_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(MeasuredQuality.class);

    /** Scores of one model at one task class (lower case; empty for calls without one). */
    public record Scores(String model, String taskClass, long scored, long scoreSum) {
    }

    private final Clock clock;
    private volatile Supplier<List<Scores>> source;
    private volatile List<Scores> last = List.of();
    private volatile long readAt;

    public MeasuredQuality(Clock clock) {
        this.clock = clock;
        this.readAt = clock.millis() - REFRESH_MILLIS;
    }

    /** Reads scores from {@code source} from now on (the runtime points it at the ledger's feedback). */
    public void readFrom(Supplier<List<Scores>> scores) {
        this.source = scores;
        this.readAt = clock.millis() - REFRESH_MILLIS;
    }

    /** {@code p}'s quality at {@code taskClass}: its declared quality moved toward what callers scored. */
    public double of(ModelProfile p, TaskClass taskClass) {
        String cls = taskClass.name().toLowerCase(Locale.ROOT);
        long n = 0;
        long sum = 0;
        long anyN = 0;
        long anySum = 0;
        for (Scores s : scores()) {
            if (s.model().equals(p.id())) {
                anyN += s.scored();
                anySum += s.scoreSum();
                if (s.taskClass().equals(cls)) {
                    n += s.scored();
                    sum += s.scoreSum();
                }
            }
        }
        if (n == 0) {
            n = anyN;
            sum = anySum;
        }
        if (n == 0) {
            return p.quality();
        }
        double measured = ((double) sum / n - 1) / 4;
        return (p.quality() * PRIOR + measured * n) / (PRIOR + n);
    }

    private List<Scores> scores() {
        Supplier<List<Scores>> s = source;
        long now = clock.millis();
        if (s == null || now - readAt < REFRESH_MILLIS) {
            return last;
        }
        synchronized (this) {
            if (now - readAt >= REFRESH_MILLIS) {
                readAt = now;
                try {
                    last = List.copyOf(s.get());
                } catch (RuntimeException e) {
                    LOG.debug("callers' scores could not be read; the tiers keep the last ones: {}", e.getMessage());
                }
            }
        }
        return last;
    }
}
