package dev.hearth.spring.ai.autoconfigure;

import dev.hearth.host.ModelHost;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.Hearth;
import dev.hearth.spring.ai.HearthChatModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hearth's meters in the application's Micrometer registry, under the names {@code hearth serve}'s {@code /metrics}
 * uses: the loaded models and the leases on them, unrecorded calls, and per answered chat call its time, tokens in and
 * out, and fallbacks, tagged with the model that answered and whether it was local. Labels come from bounded sets
 * (configured model ids), never from a prompt. Thread-safe.
 */
public final class HearthMeters implements MeterBinder, HearthChatModel.Listener {
    private final Hearth hearth;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    public HearthMeters(Hearth hearth) {
        this.hearth = hearth;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("hearth.models.loaded", hearth, h -> h.host().loadedNow().size())
                .description("models the host holds in memory now").register(registry);
        Gauge.builder("hearth.models.leases", hearth, h -> h.host().loadedNow().stream().mapToInt(ModelHost.LoadedModel::leases)
                .sum()).description("calls using a loaded model now").register(registry);
        Gauge.builder("hearth.calls.unrecorded", hearth, Hearth::unrecordedCalls)
                .description("calls that answered but could not be written to the ledger").register(registry);
        registries.add(registry);
    }

    @Override
    public void answered(FallbackChain.Routed r, Duration took) {
        String model = r.answeredBy().id();
        String where = r.answeredBy().local() ? "local" : "remote";
        var usage = r.response().usage();
        for (MeterRegistry registry : registries) {
            Timer.builder("hearth.call.duration").description("a call's time through the front door, end to end")
                    .tags("model", model, "route", where).register(registry).record(took);
            Counter.builder("hearth.tokens").description("tokens read (in) and written (out) by answers")
                    .tags("model", model, "direction", "in").register(registry).increment(usage.inputTokens());
            Counter.builder("hearth.tokens").description("tokens read (in) and written (out) by answers")
                    .tags("model", model, "direction", "out").register(registry).increment(usage.outputTokens());
            if (!r.hops().isEmpty()) {
                Counter.builder("hearth.fallbacks").description("calls answered by a fallback model")
                        .tags("model", model).register(registry).increment(r.hops().size());
            }
        }
    }
}
