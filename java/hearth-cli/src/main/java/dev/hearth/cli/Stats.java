package dev.hearth.cli;

/** The one-line summary printed to stderr after a generation. */
final class Stats {
    private Stats() {
    }

    static void print(dev.hearth.llama.engine.EngineResult r) {
        var s = r.stats();
        System.err.printf("[%d prompt tokens (%d cached), first token after %d ms, %d generated at %.1f tok/s, finished: %s]%n",
                s.promptTokens(), s.cachedPromptTokens(), s.timeToFirstToken().toMillis(), s.generatedTokens(),
                s.decodeTokensPerSecond(), r.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    }
}
