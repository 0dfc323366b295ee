package dev.hearth.api.spi;

import java.util.List;

/**
 * What a loaded model's engine holds in its prefix caches, for a gateway that routes each conversation to the
 * server whose cache is warm for it ({@code GET /v1/hearth/prefixes}).
 *
 * @param conversations      the {@link dev.hearth.api.ConversationKey}s of the conversations its slots hold
 * @param promptTokens       prompt tokens of all requests since it loaded
 * @param reusedPromptTokens of those, tokens a slot's cache held already (not evaluated again)
 */
public record PrefixReport(List<String> conversations, long promptTokens, long reusedPromptTokens) {
    public static final PrefixReport NONE = new PrefixReport(List.of(), 0, 0);

    public PrefixReport {
        conversations = List.copyOf(conversations);
    }
}
