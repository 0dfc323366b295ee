package dev.hearth.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A LangChain4j chat request in Hearth's one chat model: its messages (system, user, AI with tool execution requests,
 * tool results), tool specifications, tool choice, response format and sampling. What Hearth has no field for is
 * refused with what to do, never dropped. Pure.
 */
final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    /** {@code request} for the model Hearth calls {@code model} (already resolved by {@code Hearth.use}). */
    static ChatRequest of(dev.langchain4j.model.chat.request.ChatRequest request, String model) {
        List<ChatMessage> messages = request.messages().stream().map(Requests::message).toList();
        if (messages.isEmpty()) {
            throw new InvalidRequestException("a chat request needs at least one message");
        }
        refuseUnsupported(request);
        ChatRequest out = ChatRequest.of(model, messages);
        List<Tool> tools = request.toolSpecifications() == null ? List.of()
                : request.toolSpecifications().stream().map(Requests::tool).toList();
        out = out.withTools(tools, toolChoice(request.toolChoice(), tools));
        if (request.maxOutputTokens() != null) {
            out = out.withMaxTokens(request.maxOutputTokens());
        }
        if (request.temperature() != null) {
            out = out.withTemperature(request.temperature());
        }
        if (request.topP() != null) {
            out = out.withTopP(request.topP());
        }
        if (request.stopSequences() != null) {
            out = out.withStop(request.stopSequences());
        }
        return out.withResponseFormat(responseFormat(request.responseFormat()));
    }

    private static void refuseUnsupported(dev.langchain4j.model.chat.request.ChatRequest request) {
        if (request.topK() != null) {
            throw new UnsupportedFeatureException("Hearth takes top-k per local model, not per request: leave topK"
                    + " unset, and set it with the model (HearthChatOptions.withLocal(LocalOptions with topK))");
        }
        if (request.frequencyPenalty() != null || request.presencePenalty() != null) {
            throw new UnsupportedFeatureException("Hearth's chat requests have no frequency or presence penalty:"
                    + " leave frequencyPenalty and presencePenalty unset");
        }
    }

    static ChatMessage message(dev.langchain4j.data.message.ChatMessage message) {
        return switch (message) {
            case SystemMessage s -> ChatMessage.system(s.text());
            case UserMessage u -> ChatMessage.user(text(u));
            case AiMessage a -> new ChatMessage(dev.hearth.api.Role.ASSISTANT, a.text() == null ? "" : a.text(),
                    a.thinking(), a.hasToolExecutionRequests() ? a.toolExecutionRequests().stream()
                    .map(Requests::toolCall).toList() : List.of(), "");
            case ToolExecutionResultMessage t -> ChatMessage.tool(t.id(), t.text() == null ? "" : t.text());
            default -> throw new UnsupportedFeatureException("Hearth's chat model reads system, user, AI and tool"
                    + " result messages, not " + message.type() + " messages; send the text as one of those");
        };
    }

    /** A user message's text; an image, audio, video or PDF part is refused (Hearth's messages are text). */
    private static String text(UserMessage u) {
        List<Content> parts = u.contents();
        for (Content part : parts) {
            if (!(part instanceof TextContent)) {
                throw new UnsupportedFeatureException("Hearth's chat model reads text only, and this user message has"
                        + " " + part.type() + " content; send its text, or describe the " + part.type()
                        .name().toLowerCase(java.util.Locale.ROOT) + " in words");
            }
        }
        return parts.stream().map(p -> ((TextContent) p).text()).collect(Collectors.joining("\n"));
    }

    private static ToolCall toolCall(ToolExecutionRequest r) {
        if (r.name() == null || r.name().isBlank()) {
            throw new InvalidRequestException("a tool execution request in an AI message has no tool name");
        }
        return new ToolCall(r.id(), r.name(), r.arguments());
    }

    private static Tool tool(ToolSpecification spec) {
        if (spec.name() == null || spec.name().isBlank()) {
            throw new InvalidRequestException("a tool specification has no name; give each tool a name");
        }
        return new Tool(spec.name(), spec.description(), spec.parameters() == null ? null : schema(spec.parameters()));
    }

    /** LangChain4j's tool choice as Hearth's; with no tools there is nothing to choose, so the model decides. */
    private static ToolChoice toolChoice(dev.langchain4j.model.chat.request.ToolChoice choice, List<Tool> tools) {
        if (tools.isEmpty() && choice == dev.langchain4j.model.chat.request.ToolChoice.REQUIRED) {
            throw new InvalidRequestException("toolChoice REQUIRED needs at least one tool specification; add the"
                    + " tools, or leave toolChoice unset");
        }
        if (choice == null || tools.isEmpty()) {
            return ToolChoice.AUTO;
        }
        return switch (choice) {
            case AUTO -> ToolChoice.AUTO;
            case REQUIRED -> ToolChoice.REQUIRED;
            case NONE -> ToolChoice.NONE;
        };
    }

    /** JSON with a schema becomes Hearth's schema output (checked on every answer); JSON alone, any object. */
    private static ResponseFormat responseFormat(dev.langchain4j.model.chat.request.ResponseFormat format) {
        if (format == null || format.type() == ResponseFormatType.TEXT) {
            return ResponseFormat.TEXT;
        }
        JsonSchema schema = format.jsonSchema();
        if (schema == null || schema.rootElement() == null) {
            return ResponseFormat.JSON_OBJECT;
        }
        return ResponseFormat.jsonSchema(schema.name(), schema(schema.rootElement()), false);
    }

    /** A LangChain4j schema element as JSON Schema text, written by LangChain4j's own rule. */
    static String schema(JsonSchemaElement element) {
        try {
            return JSON.writeValueAsString(JsonSchemaElementUtils.toMap(element));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidRequestException("a JSON schema could not be written as JSON Schema (" + e.getMessage()
                    + "); check the schema's elements", e);
        }
    }
}
