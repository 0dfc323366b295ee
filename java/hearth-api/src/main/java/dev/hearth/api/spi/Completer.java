package dev.hearth.api.spi;

import dev.hearth.api.TokenSink;

/** Raw text completion with a local model (no chat template): {@code hearth generate}. */
public interface Completer {
    /** Completes {@code prompt}, streaming the text to {@code sink}. */
    Completion complete(String prompt, CompletionRequest request, TokenSink sink) throws InterruptedException;
}
