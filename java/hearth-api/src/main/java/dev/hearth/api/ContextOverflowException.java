package dev.hearth.api;

/** A prompt (plus the room it needs to generate) does not fit the context window. Nothing was decoded. */
public final class ContextOverflowException extends HearthException {
    private final int promptTokens;
    private final int contextSize;

    public ContextOverflowException(int promptTokens, int contextSize) {
        super("the prompt is " + promptTokens + " tokens but the context holds " + contextSize
                + " (and needs room for at least one generated token); shorten the prompt or create the context"
                + " with a larger size");
        this.promptTokens = promptTokens;
        this.contextSize = contextSize;
    }

    /** A prompt plus the tokens it asks to generate do not fit. */
    public ContextOverflowException(int promptTokens, int maxTokens, int contextSize) {
        super("the prompt is " + promptTokens + " tokens and asks for up to " + maxTokens + " more, but a slot holds "
                + contextSize + " tokens; shorten the prompt, lower maxTokens, or give the engine a larger context");
        this.promptTokens = promptTokens;
        this.contextSize = contextSize;
    }

    /** Another input than a prompt does not fit (e.g. a text to embed): {@code message} says which, with the numbers. */
    public ContextOverflowException(String message, int promptTokens, int contextSize) {
        super(message);
        this.promptTokens = promptTokens;
        this.contextSize = contextSize;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int contextSize() {
        return contextSize;
    }
}
