package dev.hearth.cli;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.onnx.OnnxChatBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Chat turns with an ONNX decoder model from a directory ({@code --model onnx:DIR}). */
final class OnnxChat implements AutoCloseable {
    private final OnnxChatBackend backend;

    private OnnxChat(OnnxChatBackend backend) {
        this.backend = backend;
    }

    /** The ONNX model a --model spec names, or null when the spec is not {@code onnx:DIR}. */
    static OnnxChat of(String spec, int threads) {
        if (spec == null || !spec.toLowerCase(Locale.ROOT).startsWith("onnx:")) {
            return null;
        }
        Path dir = Path.of(spec.substring("onnx:".length()));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--model onnx: needs a directory with model.onnx and tokenizer.json, not "
                    + dir.toAbsolutePath());
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        return new OnnxChat(OnnxChatBackend.fromDirectory(name, dir, Optional.empty(), threads));
    }

    /** Answers the conversation: content to stdout, reasoning and figures to stderr; null when it was refused. */
    ChatResponse answer(ChatRequest request) throws InterruptedException {
        long start = System.nanoTime();
        try {
            ChatResponse r = backend.stream(request, new ConsoleSink());
            System.out.println();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "[%s (%s): %d prompt, %d generated tokens; %.1f s; %s]%n", backend.name(),
                    backend.format(), r.usage().inputTokens(), r.usage().outputTokens(), seconds, r.stopReason());
            return r;
        } catch (IllegalArgumentException | ContextOverflowException e) {
            System.err.println("hearth: " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        backend.close();
    }
}
