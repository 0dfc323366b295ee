package dev.hearth.api;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role        who wrote it
 * @param content     its text
 * @param reasoning   an assistant's reasoning (sent back to templates that keep it), or empty
 * @param toolCalls   the tool calls an assistant message made
 * @param toolCallId  for a {@link Role#TOOL} message: the id of the call it answers
 * @param reasoningSignature  the vendor's signature over {@code reasoning} (Anthropic's thinking blocks must be sent
 *                    back signed in tool-use turns), or empty
 */
public record ChatMessage(Role role, String content, String reasoning, List<ToolCall> toolCalls, String toolCallId,
        String reasoningSignature) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        reasoning = reasoning == null ? "" : reasoning;
        toolCalls = List.copyOf(toolCalls);
        toolCallId = toolCallId == null ? "" : toolCallId;
        reasoningSignature = reasoningSignature == null ? "" : reasoningSignature;
    }

    public ChatMessage(Role role, String content, String reasoning, List<ToolCall> toolCalls, String toolCallId) {
        this(role, content, reasoning, toolCalls, toolCallId, "");
    }

    public ChatMessage(Role role, String content) {
        this(role, content, "", List.of(), "", "");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    /** An assistant turn that called tools. */
    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, "", toolCalls, "", "");
    }

    /** The result of a tool call, answering the call with id {@code toolCallId}. */
    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, "", List.of(), toolCallId, "");
    }
}
