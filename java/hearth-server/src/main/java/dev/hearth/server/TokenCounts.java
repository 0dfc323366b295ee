package dev.hearth.server;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.spi.Tokenizer;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.Policies;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.RouteRejectedException;
import dev.hearth.runtime.Hearth;

/**
 * How many input tokens a request takes, for the model the router would send it to: counted exactly by a local
 * model's own tokenizer and chat template ({@link Tokenizer#countChat}), the same count its answer's usage reports;
 * for a remote model, whose tokenizer is not here, the router's estimate, and said to be one.
 */
final class TokenCounts {
    /** The header that says whether a count is {@code exact} or an {@code estimate}. */
    static final String HEADER = "x-hearth-token-count";

    private final Hearth hearth;

    TokenCounts(Hearth hearth) {
        this.hearth = hearth;
    }

    /**
     * @param tokens  the input tokens
     * @param exact   counted by the model's tokenizer (false: the router's estimate)
     * @param model   the model it was counted for
     */
    record Count(long tokens, boolean exact, ModelProfile model) {
        String kind() {
            return exact ? "exact" : "estimate";
        }
    }

    /** Counts {@code request}, its model already resolved; a request the router refuses is refused here too. */
    Count count(ChatRequest request) {
        RouteDecision decision = hearth.explain(request);
        if (decision instanceof RouteDecision.Reject reject) {
            throw new RouteRejectedException(reject);
        }
        ModelProfile chosen = decision.chain().getFirst();
        if (!chosen.local()) {
            return new Count(Policies.estimatedInputTokens(request), false, chosen);
        }
        try (Tokenizer tokenizer = hearth.tokenizer(chosen.id())) {
            return new Count(tokenizer.countChat(request), true, chosen);
        }
    }
}
