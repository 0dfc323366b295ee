package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A route reason becomes a header value a client's HTTP library accepts: printable ASCII, cut short. */
class AnswerHeadersTest {
    @Test
    void aReasonIsPrintableAsciiAndBounded() {
        assertThat(AnswerHeaders.headerSafe("premium: claude — the best quality ≥ 0.9\r\nx-evil: 1"))
                .isEqualTo("premium: claude - the best quality ? 0.9??x-evil: 1");
        assertThat(AnswerHeaders.headerSafe("x".repeat(1000))).hasSize(AnswerHeaders.MAX_REASON);
    }
}
