package dev.hearth.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitsTest {
    @Test
    void openAiResetSpansAreRead() {
        assertThat(Waits.span("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(Waits.span("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Waits.span("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Waits.span("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(Waits.span("soon")).isNull();
        assertThat(Waits.span("5 minutes")).isNull();
    }
}
