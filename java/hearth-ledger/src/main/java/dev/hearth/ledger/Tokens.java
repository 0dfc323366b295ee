package dev.hearth.ledger;

/** A call's token counts; none may be negative. */
public record Tokens(long input, long cacheRead, long cacheWrite, long output, long reasoning) {
    public static final Tokens NONE = new Tokens(0, 0, 0, 0, 0);

    public Tokens {
        if (input < 0 || cacheRead < 0 || cacheWrite < 0 || output < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts cannot be negative: " + this);
        }
    }

    public static Tokens of(long input, long output) {
        return new Tokens(input, 0, 0, output, 0);
    }

    /** A backend's usage as the ledger counts it. */
    public static Tokens of(dev.hearth.api.Usage u) {
        return new Tokens(u.inputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), u.outputTokens(),
                u.reasoningTokens());
    }
}
