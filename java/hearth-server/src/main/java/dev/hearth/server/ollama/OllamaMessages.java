package dev.hearth.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import dev.hearth.api.ToolCall;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ollama's {@code messages}, read into the one chat model. Ollama's tool calls carry no ids and its tool results name
 * the tool ({@code tool_name}) rather than the call, so ids are made here: {@code call_M_N} for the N-th call of
 * message M, and each tool result answers the earliest call not yet answered with the same name (or, with no name,
 * the earliest not yet answered), as Ollama's own templates pair them.
 */
final class OllamaMessages {
    static final int MAX_MESSAGES = 10_000;

    private OllamaMessages() {
    }

    /** A non-empty array of messages. */
    static List<ChatMessage> read(JsonNode messages) {
        if (messages.size() > MAX_MESSAGES) {
            throw new BadRequest("messages", "messages has " + messages.size() + " entries; send at most "
                    + MAX_MESSAGES);
        }
        List<ChatMessage> out = new ArrayList<>();
        List<ToolCall> unanswered = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Fields m = Fields.of(messages.get(i), "messages[" + i + "]");
            m.only(Set.of("role", "content", "thinking", "images", "tool_calls", "tool_name"), m.path());
            JsonNode images = m.array("images");
            if (images != null && !images.isEmpty()) {
                throw new BadRequest(m.at("images"), "Hearth reads text only (no images yet); leave "
                        + m.at("images") + " out");
            }
            String role = m.requiredString("role");
            String content = m.string("content");
            switch (role) {
                case "system", "user" -> out.add(new ChatMessage(role.equals("system") ? Role.SYSTEM : Role.USER,
                        required(m, content)));
                case "assistant" -> {
                    List<ToolCall> calls = toolCalls(m, i);
                    unanswered.addAll(calls);
                    out.add(new ChatMessage(Role.ASSISTANT, content == null ? "" : content, m.string("thinking"),
                            calls, ""));
                }
                case "tool" -> out.add(ChatMessage.tool(answering(unanswered, m.string("tool_name"), i),
                        required(m, content)));
                default -> throw new BadRequest(m.at("role"), m.at("role") + " must be system, user, assistant or"
                        + " tool, not \"" + role + "\"");
            }
        }
        return out;
    }

    private static String required(Fields m, String content) {
        if (content == null) {
            throw new BadRequest(m.at("content"), m.at("content") + " is required: a string");
        }
        return content;
    }

    private static List<ToolCall> toolCalls(Fields m, int message) {
        JsonNode calls = m.array("tool_calls");
        List<ToolCall> out = new ArrayList<>();
        if (calls != null) {
            for (int i = 0; i < calls.size(); i++) {
                Fields c = Fields.of(calls.get(i), m.at("tool_calls") + "[" + i + "]");
                c.only(Set.of("id", "type", "function"), c.path());
                Fields fn = c.object("function");
                if (fn == null) {
                    throw new BadRequest(c.at("function"), c.at("function") + " is required: {\"name\","
                            + " \"arguments\": {...}}");
                }
                fn.only(Set.of("name", "arguments", "index", "description"), fn.path());
                Fields arguments = fn.object("arguments");
                String id = c.string("id");
                out.add(new ToolCall(id == null ? "call_" + message + "_" + i : id, fn.requiredString("name"),
                        arguments == null ? "{}" : arguments.node().toString()));
            }
        }
        return out;
    }

    private static String answering(List<ToolCall> unanswered, String toolName, int message) {
        for (int i = 0; i < unanswered.size(); i++) {
            if (toolName == null || toolName.isEmpty() || unanswered.get(i).name().equals(toolName)) {
                return unanswered.remove(i).id();
            }
        }
        return "call_" + message; // a result with no call before it: the model reads it as given
    }
}
