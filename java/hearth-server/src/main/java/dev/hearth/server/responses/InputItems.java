package dev.hearth.server.responses;

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
 * A Responses request's {@code input}, read into the one chat model: a string (one user message) or items: messages
 * (roles user, system, developer, assistant; text parts), {@code function_call} items (joined to the assistant turn
 * they follow), {@code function_call_output} items, and {@code reasoning} items sent back (kept as the next assistant
 * turn's reasoning).
 */
final class InputItems {
    /** The most items one request may carry. */
    static final int MAX_ITEMS = 10_000;

    private InputItems() {
    }

    static List<ChatMessage> read(JsonNode input) {
        if (input == null) {
            throw new BadRequest("input", "input is required: a string, or an array of message and function call"
                    + " items (Hearth is stateless: send the whole conversation)");
        }
        if (input.isTextual()) {
            return List.of(ChatMessage.user(input.textValue()));
        }
        if (!input.isArray() || input.isEmpty() || input.size() > MAX_ITEMS) {
            throw new BadRequest("input", "input must be a string or an array of 1 to " + MAX_ITEMS + " items, not "
                    + (input.isArray() ? "an array of " + input.size() : Fields.kind(input)));
        }
        Turns turns = new Turns();
        for (int i = 0; i < input.size(); i++) {
            Fields item = Fields.of(input.get(i), "input[" + i + "]");
            String type = item.string("type");
            switch (type == null ? "message" : type) {
                case "message" -> message(item, turns);
                case "function_call" -> {
                    item.only(Set.of("type", "id", "call_id", "name", "arguments", "status"), item.path());
                    item.string("id");
                    item.string("status");
                    turns.call(new ToolCall(item.requiredString("call_id"), item.requiredString("name"),
                            item.requiredString("arguments")));
                }
                case "function_call_output" -> {
                    item.only(Set.of("type", "id", "call_id", "output", "status"), item.path());
                    item.string("id");
                    item.string("status");
                    turns.add(ChatMessage.tool(item.requiredString("call_id"), text(item, "output", "input_text")));
                }
                case "reasoning" -> turns.reasoning(reasoning(item));
                default -> throw new BadRequest(item.at("type"), item.at("type") + " is \"" + type + "\"; Hearth"
                        + " reads message, function_call, function_call_output and reasoning items");
            }
        }
        return turns.done();
    }

    private static void message(Fields item, Turns turns) {
        item.only(Set.of("type", "id", "role", "content", "status", "phase"), item.path());
        item.string("id");
        item.string("status");
        item.string("phase");
        String role = item.requiredString("role");
        switch (role) {
            case "user" -> turns.add(ChatMessage.user(text(item, "content", "input_text")));
            case "system", "developer" -> turns.add(ChatMessage.system(text(item, "content", "input_text")));
            case "assistant" -> turns.say(text(item, "content", "output_text"));
            default -> throw new BadRequest(item.at("role"), item.at("role") + " must be user, system, developer or"
                    + " assistant, not \"" + role + "\"");
        }
    }

    /** A string, or text parts joined ({@code partType}, and for assistants {@code refusal} parts too). */
    private static String text(Fields item, String field, String partType) {
        JsonNode content = item.get(field);
        if (content == null) {
            throw new BadRequest(item.at(field), item.at(field) + " is required: a string or an array of {\"type\": \""
                    + partType + "\", \"text\": ...} parts");
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw item.wrongType(field, "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            Fields part = Fields.of(content.get(i), item.at(field) + "[" + i + "]");
            String type = part.requiredString("type");
            if (type.equals("refusal") && partType.equals("output_text")) {
                part.only(Set.of("type", "refusal"), part.path());
                text.append(part.requiredString("refusal"));
                continue;
            }
            boolean textPart = type.equals(partType) || type.equals("input_text") || type.equals("output_text");
            if (!textPart) {
                throw new BadRequest(part.at("type"), part.at("type") + " is \"" + type + "\", but Hearth reads text"
                        + " parts only (no images, audio or files yet); send {\"type\": \"" + partType + "\", \"text\":"
                        + " ...}");
            }
            part.only(Set.of("type", "text", "annotations", "logprobs"), part.path());
            text.append(part.requiredString("text"));
        }
        return text.toString();
    }

    /** A reasoning item's text: its reasoning_text content, else its summary. */
    private static String reasoning(Fields item) {
        item.only(Set.of("type", "id", "summary", "content", "encrypted_content", "status"), item.path());
        item.string("id");
        item.string("status");
        if (item.has("encrypted_content")) {
            throw new BadRequest(item.at("encrypted_content"), "Hearth cannot read encrypted reasoning; send the"
                    + " reasoning item as Hearth returned it, or leave it out");
        }
        StringBuilder text = new StringBuilder();
        for (String field : List.of("content", "summary")) {
            JsonNode parts = item.array(field);
            if (parts == null || !text.isEmpty()) {
                continue;
            }
            for (int i = 0; i < parts.size(); i++) {
                Fields part = Fields.of(parts.get(i), item.at(field) + "[" + i + "]");
                part.only(Set.of("type", "text"), part.path());
                part.requiredString("type");
                text.append(part.requiredString("text"));
            }
        }
        return text.toString();
    }

    /** The conversation so far: an assistant turn stays open to take the function calls that follow it. */
    private static final class Turns {
        private final List<ChatMessage> out = new ArrayList<>();
        private String pendingReasoning = "";
        private String said;
        private final List<ToolCall> calls = new ArrayList<>();
        private String reasoning = "";

        void add(ChatMessage m) {
            close();
            out.add(m);
        }

        void say(String text) {
            if (said != null || !calls.isEmpty()) {
                close();
            }
            open();
            said = text;
        }

        void call(ToolCall c) {
            if (said == null && calls.isEmpty()) {
                open();
            }
            calls.add(c);
        }

        void reasoning(String text) {
            close();
            pendingReasoning += text;
        }

        private void open() {
            reasoning = pendingReasoning;
            pendingReasoning = "";
        }

        private void close() {
            if (said != null || !calls.isEmpty()) {
                out.add(new ChatMessage(Role.ASSISTANT, said == null ? "" : said, reasoning, calls, ""));
            }
            said = null;
            calls.clear();
            reasoning = "";
        }

        List<ChatMessage> done() {
            close();
            if (out.isEmpty()) {
                throw new BadRequest("input", "input has no message; send at least one");
            }
            return out;
        }
    }
}
