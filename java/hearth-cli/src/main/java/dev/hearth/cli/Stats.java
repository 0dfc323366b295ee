package dev.hearth.cli;

import dev.hearth.api.spi.Completion;

/** The one-line summary printed to stderr after a raw completion. */
final class Stats {
    private Stats() {
    }

    static void print(Completion r) {
        System.err.printf("[%d prompt tokens (%d cached), first token after %d ms, %d generated at %.1f tok/s, finished: %s]%n",
                r.promptTokens(), r.cachedPromptTokens(), r.firstToken().toMillis(), r.generatedTokens(),
                r.tokensPerSecond(), r.finishReason());
    }
}
