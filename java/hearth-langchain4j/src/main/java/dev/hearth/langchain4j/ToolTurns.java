package dev.hearth.langchain4j;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import java.util.function.UnaryOperator;

/**
 * Tool choices per turn for an {@code AiServices} loop, given as its {@code chatRequestTransformer}. LangChain4j 1.11
 * keeps a model's tool choice on every call of the loop, so {@link ToolChoice#REQUIRED} alone would ask for a tool call
 * again after each result, until the loop's limit. Pure.
 */
public final class ToolTurns {
    private ToolTurns() {
    }

    /**
     * A tool call is required while the conversation ends with the user's message, and none once it ends with tool
     * results: the model must call a tool, then answers from what the tools returned. A request without tools is
     * left as it is.
     */
    public static UnaryOperator<ChatRequest> requiredThenAnswer() {
        return request -> {
            if (request.toolSpecifications() == null || request.toolSpecifications().isEmpty()) {
                return request;
            }
            boolean answering = !request.messages().isEmpty()
                    && request.messages().getLast() instanceof ToolExecutionResultMessage;
            ToolChoice choice = answering ? ToolChoice.NONE : ToolChoice.REQUIRED;
            return request.toBuilder().parameters(request.parameters().overrideWith(
                    ChatRequestParameters.builder().toolChoice(choice).build())).build();
        };
    }
}
