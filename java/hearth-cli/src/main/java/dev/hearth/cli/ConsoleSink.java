package dev.hearth.cli;

import dev.hearth.api.ChatSink;

/** Streams an answer to the terminal: content to stdout, reasoning to stderr, each delta at once. */
final class ConsoleSink implements ChatSink {
    @Override
    public void onContent(String delta) {
        System.out.print(delta);
        System.out.flush();
    }

    @Override
    public void onReasoning(String delta) {
        System.err.print(delta);
        System.err.flush();
    }
}
