package dev.hearth.llama;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import dev.hearth.api.ToolCall;
import java.util.List;

/**
 * A chat answer, parsed from the raw output by the model family's own format (llama.cpp's chat parser).
 *
 * @param content     the visible answer
 * @param reasoning   the model's reasoning, apart from the answer (empty when it has none or it is off)
 * @param toolCalls   the tools it called
 * @param format      the chat format llama.cpp recognised (e.g. "Hermes 2 Pro", "peg-native")
 * @param rawText     the text as generated, before parsing
 * @param generation  token counts, timings, finish reason
 */
public record ChatResult(String content, String reasoning, List<ToolCall> toolCalls, String format, String rawText,
        GenerationResult generation) {
    public ChatResult {
        toolCalls = List.copyOf(toolCalls);
    }

    /** The answer as a message to append to the conversation. */
    public ChatMessage toMessage() {
        return new ChatMessage(Role.ASSISTANT, content, reasoning, toolCalls, "");
    }
}
