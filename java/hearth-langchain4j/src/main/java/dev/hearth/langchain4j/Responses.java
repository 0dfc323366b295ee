package dev.hearth.langchain4j;

import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.router.FallbackChain;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;

/** Hearth's answer as LangChain4j's: the AI message, token usage, finish reason and Hearth's metadata. Pure. */
final class Responses {
    private Responses() {
    }

    static dev.langchain4j.model.chat.response.ChatResponse of(FallbackChain.Routed routed, BigDecimal costUsd) {
        ChatResponse r = routed.response();
        AiMessage.Builder message = AiMessage.builder().text(r.content().isEmpty() && !r.toolCalls().isEmpty() ? null
                : r.content()).toolExecutionRequests(r.toolCalls().stream().map(Responses::request).toList());
        if (!r.reasoning().isEmpty()) {
            message.thinking(r.reasoning());
        }
        HearthChatResponseMetadata metadata = HearthChatResponseMetadata.builder().routed(routed).costUsd(costUsd)
                .id(r.id()).modelName(r.model().isEmpty() ? routed.answeredBy().model() : r.model())
                .tokenUsage(usage(r.usage())).finishReason(finishReason(r.stopReason())).build();
        return dev.langchain4j.model.chat.response.ChatResponse.builder().aiMessage(message.build()).metadata(metadata)
                .build();
    }

    static ToolExecutionRequest request(ToolCall call) {
        return ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments()).build();
    }

    /** Input counts every token the model read (cache reads and writes too), as LangChain4j's own models count. */
    static TokenUsage usage(Usage u) {
        int in = clamp(u.totalInputTokens());
        int out = clamp(u.outputTokens());
        return new TokenUsage(in, out, clamp((long) in + out));
    }

    static FinishReason finishReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> FinishReason.STOP;
            case MAX_TOKENS -> FinishReason.LENGTH;
            case TOOL_USE -> FinishReason.TOOL_EXECUTION;
            case REFUSAL -> FinishReason.CONTENT_FILTER;
            case CANCELLED, OTHER -> FinishReason.OTHER;
        };
    }

    private static int clamp(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n);
    }
}
