package dev.hearth.api;

/**
 * Whether the model reasons before it answers.
 *
 * @param mode          DEFAULT leaves it to the backend
 * @param budgetTokens  for ON: most tokens to reason with (Anthropic's budget_tokens); 0 lets the backend choose
 */
public record Thinking(Mode mode, int budgetTokens) {
    public enum Mode { DEFAULT, OFF, ON }

    public static final Thinking DEFAULT = new Thinking(Mode.DEFAULT, 0);
    public static final Thinking OFF = new Thinking(Mode.OFF, 0);
    /** Reasoning on, with the backend's budget. */
    public static final Thinking ON_DEFAULT = new Thinking(Mode.ON, 0);

    public Thinking {
        if (mode == null || budgetTokens < 0) {
            throw new IllegalArgumentException("need a mode and a budget >= 0");
        }
    }

    public static Thinking on(int budgetTokens) {
        return new Thinking(Mode.ON, budgetTokens);
    }
}
