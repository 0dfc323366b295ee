package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.EngineOverloadedException;
import dev.hearth.router.SpendRefusedException;
import dev.hearth.server.openai.ApiError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each failure as each wire format's clients expect it: status, type, retry-after. */
class WireTest {
    @Test
    void aFullEngineQueueIs503ForOpenAiAnd529OverloadedForAnthropicWithRetryAfter() {
        ApiError e = ApiError.of(new EngineOverloadedException("the engine is busy", Duration.ofSeconds(1)));
        assertThat(Wire.OPENAI.shape(e).status()).isEqualTo(503);
        assertThat(Wire.OPENAI.shape(e).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        ApiError anthropic = Wire.ANTHROPIC.shape(e);
        assertThat(anthropic.status()).isEqualTo(529);
        assertThat(Wire.ANTHROPIC.body(anthropic).at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(Wire.OLLAMA.body(Wire.OLLAMA.shape(e)).get("error").asText()).contains("busy");
    }

    @Test
    void aSpentBudgetIsInsufficientQuotaForOpenAiAndAnInvalidRequestForAnthropic() {
        ApiError e = ApiError.of(new SpendRefusedException("the month's budget is spent"));
        assertThat(Wire.OPENAI.shape(e).status()).isEqualTo(429);
        assertThat(Wire.OPENAI.body(e).at("/error/code").asText()).isEqualTo("insufficient_quota");
        ApiError anthropic = Wire.ANTHROPIC.shape(e);
        assertThat(anthropic.status()).isEqualTo(400);
        assertThat(Wire.ANTHROPIC.body(anthropic).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aPromptLongerThanTheContextIs400WithTheNumbers() {
        ApiError e = ApiError.of(new ContextOverflowException(5000, 256, 2048));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("context_length_exceeded");
        assertThat(e.message()).contains("5000", "256", "2048");
    }

    @Test
    void theFormatFollowsThePath() {
        assertThat(Wire.of("/v1/messages")).isEqualTo(Wire.ANTHROPIC);
        assertThat(Wire.of("/v1/messages/count_tokens")).isEqualTo(Wire.ANTHROPIC);
        assertThat(Wire.of("/v1/messagesX")).isEqualTo(Wire.OPENAI);
        assertThat(Wire.of("/api/chat")).isEqualTo(Wire.OLLAMA);
        assertThat(Wire.of("/v1/embeddings")).isEqualTo(Wire.OPENAI);
    }
}
