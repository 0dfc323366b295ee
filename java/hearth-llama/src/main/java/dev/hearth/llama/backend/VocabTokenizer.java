package dev.hearth.llama.backend;

import dev.hearth.api.spi.Tokenizer;
import dev.hearth.llama.LlamaModel;

/** A {@link Tokenizer} over a vocabulary-only {@link LlamaModel}, which it closes. */
final class VocabTokenizer implements Tokenizer {
    private final LlamaModel vocab;

    VocabTokenizer(LlamaModel vocab) {
        this.vocab = vocab;
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial) {
        return vocab.tokenize(text, addSpecial, false);
    }

    @Override
    public int countChat(dev.hearth.api.ChatRequest request) {
        var options = dev.hearth.llama.engine.LlamaChatBackend.options(request);
        String prompt = vocab.chatTemplate(options.templateOverride()).render(request.messages(), options).prompt();
        return vocab.tokenize(prompt, true, true).length;
    }

    @Override
    public String piece(int token) {
        return vocab.tokenToPiece(token, true);
    }

    @Override
    public void close() {
        vocab.close();
    }
}
