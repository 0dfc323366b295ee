package dev.hearth.spring.ai.autoconfigure;

import dev.hearth.host.ModelHost;
import dev.hearth.runtime.Hearth;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator's {@code hearth} health: up while the model host answers, with the models it holds loaded and the calls
 * that answered but could not be written to the ledger (a ledger that stopped taking calls is down: spend is then
 * unaccounted); down once the host has closed.
 */
public final class HearthHealthIndicator implements HealthIndicator {
    private final Hearth hearth;

    public HearthHealthIndicator(Hearth hearth) {
        this.hearth = hearth;
    }

    @Override
    public Health health() {
        List<String> loaded;
        try {
            loaded = hearth.host().loaded().stream().map(ModelHost.LoadedModel::id).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("reason", "interrupted while asking the model host").build();
        } catch (RuntimeException closed) {
            return Health.down().withDetail("reason", "the model host is closed: " + closed.getMessage()).build();
        }
        long unrecorded = hearth.unrecordedCalls();
        return (unrecorded > 0 ? Health.down() : Health.up()).withDetail("loadedModels", loaded)
                .withDetail("unrecordedCalls", unrecorded).build();
    }
}
