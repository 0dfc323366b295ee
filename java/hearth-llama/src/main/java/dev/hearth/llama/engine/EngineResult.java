package dev.hearth.llama.engine;

import dev.hearth.llama.FinishReason;


/** What an engine request produced: text, finish reason, token ids, and its figures. */
public record EngineResult(String text, FinishReason finishReason, int[] tokens, RequestStats stats) {
    public EngineResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
