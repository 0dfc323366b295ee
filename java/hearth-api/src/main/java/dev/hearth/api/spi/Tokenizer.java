package dev.hearth.api.spi;

/**
 * A local model's tokenizer, loaded without the model's weights (for {@code hearth tokenize} and token counts).
 * Closing it frees the vocabulary. Thread-safe.
 */
public interface Tokenizer extends AutoCloseable {
    /**
     * The token ids of {@code text}; control tokens written in the text are treated as plain text.
     *
     * @param addSpecial add the BOS/EOS tokens the model's tokenizer wants
     */
    int[] tokenize(String text, boolean addSpecial);

    /**
     * The tokens a chat request's prompt takes once the model's chat template is applied: system prompt, messages,
     * tool definitions and the assistant's opening, as the model would read them (for cost estimates, budgets and
     * {@code count_tokens}).
     */
    int countChat(dev.hearth.api.ChatRequest request);

    /** The text of one token, control tokens rendered as their text; an id outside the vocabulary is refused. */
    String piece(int token);

    /** Frees the vocabulary. */
    @Override
    void close();
}
