package dev.hearth.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatResponse;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ProviderException;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.router.SpendRefusedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers and errors in OpenAI's shapes, without sockets. */
class CompletionsTest {
    private static final Completions.Answered WHO = new Completions.Answered("chatcmpl-1", "tiny", true, "1", 1700000000);

    @Test
    void aWholeCompletionCarriesReasoningToolCallsAndUsageSplitAsOpenAiBillsIt() {
        ChatResponse r = new ChatResponse("", "x", "", "thinking...", "", List.of(new ToolCall("c1", "f", "{\"a\":1}")),
                StopReason.TOOL_USE, "tool_use", new Usage(10, 5, 3, 0, 2));
        var json = Completions.completion(r, WHO);
        assertThat(json.toString()).isEqualTo("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"tiny","choices":[{"index":0,\
                "message":{"role":"assistant","content":null,"reasoning_content":"thinking...","tool_calls":[{"id":"c1",\
                "type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},"logprobs":null,\
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":13,"completion_tokens":5,"total_tokens":18,\
                "prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2}}}""");
    }

    @Test
    void chunksAreRoleFirstThenDeltasThenTheFinishThenUsageWithNoChoices() {
        assertThat(Completions.roleChunk(WHO).at("/choices/0/delta").toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(Completions.contentChunk(WHO, "Hi").at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(Completions.toolCallChunk(WHO, 2, new ToolCall("c", "f", "{}")).at("/choices/0/delta/tool_calls/0/index")
                .asInt()).isEqualTo(2);
        assertThat(Completions.finishChunk(WHO, StopReason.MAX_TOKENS).at("/choices/0/finish_reason").asText())
                .isEqualTo("length");
        var usage = Completions.usageChunk(WHO, new Usage(4, 2, 0, 0, 0));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asLong()).isEqualTo(6);
        assertThat(usage.get("object").asText()).isEqualTo("chat.completion.chunk");
    }

    @Test
    void reasoningIsReasoningContentOnTheMessageAndInItsOwnDeltasAndAbsentWithoutIt() {
        assertThat(Completions.reasoningChunk(WHO, "let me see").at("/choices/0/delta").toString())
                .isEqualTo("{\"reasoning_content\":\"let me see\"}");
        ChatResponse plain = new ChatResponse("", "x", "Hi", "", "", List.of(), StopReason.END_TURN, "stop",
                new Usage(1, 1, 0, 0, 0));
        assertThat(Completions.completion(plain, WHO).at("/choices/0/message").has("reasoning_content")).isFalse();
        ChatResponse thought = new ChatResponse("", "x", "Hi", "greet back", "", List.of(), StopReason.END_TURN,
                "stop", new Usage(1, 3, 0, 0, 2));
        var message = Completions.completion(thought, WHO).at("/choices/0/message");
        assertThat(message.get("content").asText()).isEqualTo("Hi");
        assertThat(message.get("reasoning_content").asText()).isEqualTo("greet back");
    }

    @Test
    void everyStopReasonHasAFinishReason() {
        for (StopReason r : StopReason.values()) {
            assertThat(Completions.finishReason(r)).isIn("stop", "length", "tool_calls", "content_filter");
        }
    }

    @Test
    void errorsGetTheStatusTheSdksMapToTheirExceptionClasses() {
        assertThat(ApiError.of(new BadRequest("temperature", "too hot")).body().toString()).isEqualTo(
                "{\"error\":{\"message\":\"too hot\",\"type\":\"invalid_request_error\",\"param\":\"temperature\","
                        + "\"code\":\"invalid_value\"}}");
        assertThat(ApiError.of(new ContextOverflowException(900, 512))).extracting(ApiError::status, ApiError::code)
                .containsExactly(400, "context_length_exceeded");
        assertThat(ApiError.of(new SpendRefusedException("the monthly budget is spent")))
                .extracting(ApiError::status, ApiError::type).containsExactly(429, "insufficient_quota");
        ApiError limited = ApiError.of(new ProviderException.RateLimited("anthropic", "slow down", Duration.ofSeconds(7)));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ApiError.of(new ProviderException.Overloaded("anthropic", 529, "busy", null)).status()).isEqualTo(503);
        assertThat(ApiError.of(new dev.hearth.api.ModelUnavailableException("not pulled")).status()).isEqualTo(503);
        ApiError bug = ApiError.of(new NullPointerException("secret detail"));
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.message()).doesNotContain("secret detail").contains("server log");
    }
}
