package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threads for local models: checked against the machine, and shared among the Hearth processes running models. */
class LocalOptionsTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void theCoresAreSharedAmongTheHearthProcessesRunningModels() {
        assertThat(LocalOptions.threads(Map.of(), 0)).isEqualTo(CORES);
        assertThat(LocalOptions.threads(Map.of(), CORES - 1)).isEqualTo(1);
        assertThat(LocalOptions.threads(Map.of(), 8 * CORES)).as("never fewer than one").isEqualTo(1);
        assertThat(LocalOptions.threads(Map.of("HEARTH_THREADS", "1"), 8)).as("a setting wins").isEqualTo(1);
    }

    @Test
    void moreThreadsThanCoresOrNoNumberAreRefusedByName() {
        assertThatThrownBy(() -> LocalOptions.threads(Map.of("HEARTH_THREADS", String.valueOf(CORES + 1)), 0))
                .hasMessageContaining("HEARTH_THREADS must be from 1 to " + CORES);
        assertThatThrownBy(() -> LocalOptions.threads(Map.of("HEARTH_THREADS", "0"), 0))
                .hasMessageContaining("HEARTH_THREADS");
        assertThatThrownBy(() -> LocalOptions.threads(Map.of("HEARTH_THREADS", "many"), 0))
                .hasMessageContaining("HEARTH_THREADS must be a whole number");
        assertThatThrownBy(() -> LocalOptions.checkThreads(100_000, "--threads"))
                .hasMessageContaining("--threads must be from 1 to " + CORES);
    }
}
