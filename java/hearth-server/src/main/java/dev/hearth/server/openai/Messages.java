package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import dev.hearth.api.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** OpenAI's {@code messages} array, read into the one chat model: roles, text or text parts, tool calls and results. */
final class Messages {
    /** The most messages one request may carry. */
    static final int MAX_MESSAGES = 10_000;

    private Messages() {
    }

    static List<ChatMessage> read(JsonNode messages) {
        if (messages == null || messages.isEmpty()) {
            throw new BadRequest("messages", "messages is required: a non-empty array of {\"role\", \"content\"}");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new BadRequest("messages", "messages has " + messages.size() + " entries; send at most "
                    + MAX_MESSAGES);
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(Fields.of(messages.get(i), "messages[" + i + "]")));
        }
        return out;
    }

    private static ChatMessage message(Fields m) {
        String role = m.requiredString("role");
        return switch (role) {
            case "system", "developer" -> {
                m.only(Set.of("role", "content", "name"), m.path());
                yield new ChatMessage(Role.SYSTEM, text(m, true));
            }
            case "user" -> {
                m.only(Set.of("role", "content", "name"), m.path());
                yield new ChatMessage(Role.USER, text(m, true));
            }
            case "assistant" -> assistant(m);
            case "tool" -> {
                m.only(Set.of("role", "content", "tool_call_id"), m.path());
                String id = m.requiredString("tool_call_id");
                yield ChatMessage.tool(id, text(m, true));
            }
            default -> throw new BadRequest(m.at("role"), m.at("role") + " must be system, developer, user,"
                    + " assistant or tool, not \"" + role + "\"");
        };
    }

    private static ChatMessage assistant(Fields m) {
        m.only(Set.of("role", "content", "name", "tool_calls", "reasoning_content", "refusal"), m.path());
        JsonNode calls = m.array("tool_calls");
        List<ToolCall> toolCalls = new ArrayList<>();
        if (calls != null) {
            for (int i = 0; i < calls.size(); i++) {
                Fields c = Fields.of(calls.get(i), m.at("tool_calls") + "[" + i + "]");
                c.only(Set.of("id", "type", "function"), c.path());
                String type = c.string("type");
                if (type != null && !type.equals("function")) {
                    throw new BadRequest(c.at("type"), c.at("type") + " must be \"function\", not \"" + type + "\"");
                }
                Fields fn = c.object("function");
                if (fn == null) {
                    throw new BadRequest(c.at("function"), c.at("function") + " is required: {\"name\", \"arguments\"}");
                }
                fn.only(Set.of("name", "arguments"), fn.path());
                toolCalls.add(new ToolCall(c.requiredString("id"), fn.requiredString("name"), fn.string("arguments")));
            }
        }
        String reasoning = m.string("reasoning_content");
        m.string("refusal");
        String content = text(m, toolCalls.isEmpty());
        return new ChatMessage(Role.ASSISTANT, content, reasoning, toolCalls, "", "");
    }

    /** A string, or an array of text parts joined; required unless an assistant message carries tool calls. */
    private static String text(Fields m, boolean required) {
        JsonNode content = m.get("content");
        if (content == null) {
            if (required) {
                throw new BadRequest(m.at("content"), m.at("content") + " is required: a string or an array of"
                        + " {\"type\": \"text\", \"text\": ...} parts");
            }
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw m.wrongType("content", "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            Fields part = Fields.of(content.get(i), m.at("content") + "[" + i + "]");
            String type = part.requiredString("type");
            if (!type.equals("text")) {
                throw new BadRequest(part.at("type"), part.at("type") + " is \"" + type + "\", but Hearth reads"
                        + " text parts only (no images, audio or files yet); send {\"type\": \"text\", \"text\": ...}");
            }
            part.only(Set.of("type", "text"), part.path());
            text.append(part.requiredString("text"));
        }
        return text.toString();
    }
}
