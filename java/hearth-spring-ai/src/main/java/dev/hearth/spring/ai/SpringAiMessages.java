package dev.hearth.spring.ai;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.StopReason;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.router.FallbackChain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI's chat model and Hearth's, translated at the edge in both directions: a {@link Prompt} becomes one
 * {@link ChatRequest}, and a routed answer becomes a Spring {@link ChatResponse} that says which model answered,
 * where, and its call id in the ledger. Stateless.
 */
final class SpringAiMessages {
    /** Metadata keys of every answer: which model answered ({@code local} or {@code remote}) and its ledger call id. */
    static final String ROUTE = "hearth.route", CALL_ID = "hearth.call-id";

    private SpringAiMessages() {
    }

    /**
     * The request a prompt asks for, with {@code defaults} under the prompt's own options. Frequency and presence
     * penalties and top-k are not part of Hearth's one chat request and are not applied.
     */
    static ChatRequest request(Prompt prompt, HearthChatOptions defaults) {
        ChatOptions o = prompt.getOptions() == null ? defaults : prompt.getOptions();
        List<ChatMessage> messages = messages(prompt.getInstructions());
        String model = first(o.getModel(), defaults.getModel(), "auto");
        ChatRequest r = ChatRequest.of(model, messages);
        Integer maxTokens = first(o.getMaxTokens(), defaults.getMaxTokens(), null);
        if (maxTokens != null) {
            r = r.withMaxTokens(maxTokens);
        }
        r = r.withTemperature(first(o.getTemperature(), defaults.getTemperature(), null))
                .withTopP(first(o.getTopP(), defaults.getTopP(), null));
        if (o.getStopSequences() != null) {
            r = r.withStop(o.getStopSequences());
        }
        HearthChatOptions h = o instanceof HearthChatOptions own ? own : null;
        r = r.withSeed(first(h == null ? null : h.getSeed(), defaults.getSeed(), null));
        if (o instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null
                && !tools.getToolCallbacks().isEmpty()) {
            String choice = first(h == null ? null : h.getToolChoice(), defaults.getToolChoice(), "auto");
            r = r.withTools(tools(tools.getToolCallbacks()), toolChoice(choice, messages));
        }
        if (o instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null
                && !structured.getOutputSchema().isBlank()) {
            // strict: a local model's grammar enforces it; lenient: keywords a grammar cannot enforce (Spring's
            // "$schema", formats) are left to the validator, which checks every answer either way
            r = r.withResponseFormat(new ResponseFormat.JsonSchema("response", structured.getOutputSchema(), true,
                    true));
        }
        return r;
    }

    private static List<ChatMessage> messages(List<Message> instructions) {
        List<ChatMessage> out = new ArrayList<>();
        for (Message m : instructions) {
            switch (m) {
                case SystemMessage s -> out.add(ChatMessage.system(text(s)));
                case UserMessage u -> {
                    if (!u.getMedia().isEmpty()) {
                        throw new IllegalArgumentException("a user message with media (images, audio) is not"
                                + " supported by Hearth's Spring AI model yet; send text only");
                    }
                    out.add(ChatMessage.user(text(u)));
                }
                case AssistantMessage a -> out.add(ChatMessage.assistant(text(a), a.getToolCalls().stream()
                        .map(c -> new ToolCall(c.id(), c.name(), c.arguments())).toList()));
                case ToolResponseMessage t -> t.getResponses().forEach(res ->
                        out.add(ChatMessage.tool(res.id(), res.responseData() == null ? "" : res.responseData())));
                default -> throw new IllegalArgumentException("a message of type " + m.getMessageType()
                        + " is not supported; send system, user, assistant and tool messages");
            }
        }
        return out;
    }

    private static String text(Message m) {
        return m.getText() == null ? "" : m.getText();
    }

    private static List<Tool> tools(List<ToolCallback> callbacks) {
        return callbacks.stream().map(ToolCallback::getToolDefinition)
                .map(d -> new Tool(d.name(), d.description(), d.inputSchema())).toList();
    }

    /**
     * The tool choice for this turn. A forced one ({@code required} or a tool's name) applies to the turn that answers
     * the user: once the last message is a tool's result the model answers with it (choice {@code none}), so that
     * ChatClient's tool loop, which asks again with the same options, ends.
     */
    static ToolChoice toolChoice(String choice, List<ChatMessage> messages) {
        ToolChoice c = switch (choice.strip().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "required", "any" -> ToolChoice.REQUIRED;
            default -> ToolChoice.named(choice.strip());
        };
        boolean answered = !messages.isEmpty() && messages.getLast().role() == Role.TOOL;
        return answered && (c instanceof ToolChoice.Required || c instanceof ToolChoice.Named) ? ToolChoice.NONE : c;
    }

    /** A routed answer as Spring AI's response. */
    static ChatResponse response(FallbackChain.Routed r) {
        var answer = r.response();
        AssistantMessage message = AssistantMessage.builder().content(answer.content())
                .toolCalls(answer.toolCalls().stream().map(SpringAiMessages::toolCall).toList()).build();
        return new ChatResponse(List.of(new Generation(message, ChatGenerationMetadata.builder()
                .finishReason(finishReason(answer.stopReason())).build())), metadata(r));
    }

    /** One streamed piece of visible text. */
    static ChatResponse delta(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    /** The end of a stream: no new text, the tool calls, why it stopped, the usage and who answered. */
    static ChatResponse last(FallbackChain.Routed r) {
        AssistantMessage message = AssistantMessage.builder().content("")
                .toolCalls(r.response().toolCalls().stream().map(SpringAiMessages::toolCall).toList()).build();
        return new ChatResponse(List.of(new Generation(message, ChatGenerationMetadata.builder()
                .finishReason(finishReason(r.response().stopReason())).build())), metadata(r));
    }

    private static ChatResponseMetadata metadata(FallbackChain.Routed r) {
        var usage = r.response().usage();
        return ChatResponseMetadata.builder().id(r.response().id()).model(r.answeredBy().id())
                .usage(new DefaultUsage(Math.toIntExact(usage.totalInputTokens()),
                        Math.toIntExact(usage.outputTokens())))
                .keyValue(ROUTE, r.answeredBy().local() ? "local" : "remote").keyValue(CALL_ID, r.callId()).build();
    }

    private static AssistantMessage.ToolCall toolCall(ToolCall c) {
        return new AssistantMessage.ToolCall(c.id(), "function", c.name(), c.arguments());
    }

    /** Spring AI's words for why a model stopped, as its OpenAI model says them. */
    static String finishReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> "STOP";
            case MAX_TOKENS -> "LENGTH";
            case TOOL_USE -> "TOOL_CALLS";
            case REFUSAL -> "CONTENT_FILTER";
            case CANCELLED, OTHER -> reason.name();
        };
    }

    private static <T> T first(T a, T b, T otherwise) {
        return a != null ? a : b != null ? b : otherwise;
    }
}
