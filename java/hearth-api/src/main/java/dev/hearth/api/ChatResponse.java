package dev.hearth.api;

import java.util.List;
import java.util.Objects;

/**
 * A backend's answer, in Hearth's one chat model.
 *
 * @param id                  the backend's id for the answer (empty where it gives none)
 * @param model               the model that answered, as the backend names it
 * @param content             the visible answer
 * @param reasoning           the model's reasoning, apart from the answer
 * @param reasoningSignature  the vendor's signature over the reasoning, to send back with it
 * @param toolCalls           the tools it called
 * @param stopReason          why it stopped
 * @param rawStopReason       the backend's own word for it ("end_turn", "length", ...)
 * @param usage               tokens used, as billed
 * @param drafts              tokens speculative decoding drafted and confirmed ({@link DraftTokens#NONE} when none)
 */
public record ChatResponse(String id, String model, String content, String reasoning, String reasoningSignature,
        List<ToolCall> toolCalls, StopReason stopReason, String rawStopReason, Usage usage, DraftTokens drafts) {
    public ChatResponse {
        id = id == null ? "" : id;
        model = model == null ? "" : model;
        content = content == null ? "" : content;
        reasoning = reasoning == null ? "" : reasoning;
        reasoningSignature = reasoningSignature == null ? "" : reasoningSignature;
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(stopReason, "stopReason");
        rawStopReason = rawStopReason == null ? "" : rawStopReason;
        Objects.requireNonNull(usage, "usage");
        drafts = drafts == null ? DraftTokens.NONE : drafts;
    }

    /** An answer that drafted nothing (remote vendors, the response cache). */
    public ChatResponse(String id, String model, String content, String reasoning, String reasoningSignature,
            List<ToolCall> toolCalls, StopReason stopReason, String rawStopReason, Usage usage) {
        this(id, model, content, reasoning, reasoningSignature, toolCalls, stopReason, rawStopReason, usage,
                DraftTokens.NONE);
    }

    /** The answer as the next message of the conversation (reasoning and its signature kept for the vendor). */
    public ChatMessage toMessage() {
        return new ChatMessage(Role.ASSISTANT, content, reasoning, toolCalls, "", reasoningSignature);
    }
}
