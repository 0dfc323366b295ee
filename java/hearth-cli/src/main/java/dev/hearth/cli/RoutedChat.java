package dev.hearth.cli;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.HearthException;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.Hearth;
import java.io.PrintStream;
import java.util.Locale;

/** A chat turn through the router ({@code --model auto}, or LLM_STRATEGY set and no --model). */
final class RoutedChat implements AutoCloseable {
    private final Hearth hearth;

    RoutedChat(java.util.Map<String, String> env) {
        this.hearth = Hearth.fromEnvironment(env);
    }

    /** Answers, printing content to stdout and the decision, fallbacks and usage to stderr; null on failure. */
    ChatResponse answer(ChatRequest request) throws InterruptedException {
        var decision = hearth.explain(request); // decided once: shown, then run
        System.err.println("[router: " + decision.reason() + "]");
        PrintStream out = System.out;
        try {
            FallbackChain.Routed r = hearth.stream(request, decision, new ConsoleSink());
            out.println();
            if (!r.response().toolCalls().isEmpty()) {
                out.println(ToolsFile.callsAsJson(r.response().toolCalls()));
            }
            r.hops().forEach(h -> System.err.println("[fallback: " + h.from() + " -> " + h.to() + ": " + h.why() + "]"));
            r.labels().forEach(l -> System.err.println("[" + l + "]"));
            var u = r.response().usage();
            System.err.printf(Locale.ROOT, "[answered by %s%s; %d input, %d output tokens%s]%n", r.answeredBy().id(),
                    r.sentTo().isEmpty() ? " on this machine" : " (sent to " + r.sentTo() + ")", u.totalInputTokens(),
                    u.outputTokens(), r.privacy() != null && !r.privacy().findings().isEmpty()
                            ? "; privacy: " + r.privacy().action().name().toLowerCase(Locale.ROOT) + " "
                            + r.privacy().findings() : "");
            return r.response();
        } catch (HearthException | IllegalStateException e) {
            System.err.println("hearth: " + e.getMessage());
            return null;
        }
    }

    /** The local models loaded in this session: placement, memory, leases and when their keep-alive ends. */
    void printLoaded() throws InterruptedException {
        var loaded = hearth.host().loaded();
        if (loaded.isEmpty()) {
            System.out.println("no local models loaded");
        }
        for (var m : loaded) {
            System.out.printf(Locale.ROOT, "%-28s %-8s %3d GPU layers  %9.1f MiB  %d leases  %s%n", m.id(),
                    m.placement().device(), m.placement().gpuLayers(), m.placement().estimate().total() / 1048576.0,
                    m.leases(), m.expiresAt() == null ? (m.leases() > 0 ? "in use" : "kept forever")
                            : "unloads at " + m.expiresAt());
        }
    }

    @Override
    public void close() {
        hearth.close();
    }
}
