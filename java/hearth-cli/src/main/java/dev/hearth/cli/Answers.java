package dev.hearth.cli;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.HearthException;
import dev.hearth.api.Secrets;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.CallOptions;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.LocalOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The CLI's one way to a model and its one printer of what came back, whatever the model spec: the answer on stdout,
 * and on stderr the decision, any fallbacks, who answered (on this machine, or sent where), usage, cost and time.
 */
final class Answers implements AutoCloseable {
    private final Hearth hearth;

    Answers(java.util.Map<String, String> env) {
        this.hearth = Hearth.fromEnvironment(env);
    }

    Hearth hearth() {
        return hearth;
    }

    /** Resolves a model spec (see {@link Hearth#use}), printing what the user should know about the model. */
    String use(String spec, LocalOptions options) {
        String model = hearth.use(spec, options);
        hearth.notes(model).forEach(n -> System.err.println("note: " + n));
        return model;
    }

    /** Answers, printing content to stdout and the decision, fallbacks and usage to stderr; null on failure. */
    ChatResponse answer(ChatRequest request) throws InterruptedException {
        return answer(request, CallOptions.DEFAULT);
    }

    /**
     * As {@link #answer(ChatRequest)}, using the response cache as {@code options} say, with their preset or session
     * (whose model lock applies, and is taken).
     */
    ChatResponse answer(ChatRequest request, CallOptions options) throws InterruptedException {
        var critical = new dev.hearth.runtime.Tournament(hearth).critical(request, dev.hearth.ledger.EntryPoint.CLI,
                dev.hearth.ledger.Caller.ANONYMOUS); // hearth.toml's [tournament], as on every face
        if (critical.isPresent()) {
            return tournament(critical.get());
        }
        var decision = hearth.explain(request, options.route()); // decided once: shown, then run
        System.err.println("[router: " + decision.reason() + "]");
        PrintStream out = System.out;
        long start = System.nanoTime();
        try {
            FallbackChain.Routed r = hearth.stream(request, decision, new ConsoleSink(), dev.hearth.ledger.EntryPoint.CLI,
                    dev.hearth.ledger.Caller.ANONYMOUS, options);
            out.println();
            if (!r.response().toolCalls().isEmpty()) {
                out.println(ToolsFile.callsAsJson(r.response().toolCalls()));
            }
            r.hops().forEach(h -> System.err.println("[fallback: " + h.from() + " -> " + h.to() + ": " + h.why() + "]"));
            r.labels().forEach(l -> System.err.println("[" + l + "]"));
            System.err.println(summary(r, Duration.ofNanos(System.nanoTime() - start)));
            return r.response();
        } catch (HearthException | IllegalStateException | IllegalArgumentException e) {
            for (Throwable earlier : e.getSuppressed()) { // each model the chain tried before the last one
                System.err.println("hearth: " + Secrets.redact(earlier.getMessage()));
            }
            System.err.println("hearth: " + Secrets.redact(e.getMessage()));
            return null;
        }
    }

    /**
     * A request hearth.toml's [tournament] marks critical: the chosen answer on stdout; on stderr each candidate and
     * the verdict. Null when no model answered.
     */
    private ChatResponse tournament(dev.hearth.runtime.TournamentResult r) {
        for (var c : r.candidates()) {
            System.err.println("[tournament: " + c.model() + (c.answered() ? " answered" : " failed: "
                    + Secrets.redact(c.error())) + "]");
        }
        var winner = r.winner().orElse(null);
        if (winner == null) {
            System.err.println("hearth: no model of the tournament answered; try again, or name other models in"
                    + " hearth.toml's [tournament] models");
            return null;
        }
        System.out.println(winner.answer());
        System.err.printf(Locale.ROOT, "[tournament (hearth.toml marks this request critical): %s of %d, %s's answer"
                + " chosen; $%.6f in all]%n", r.verdict().label(), r.candidates().size(), winner.model(), r.costUsd());
        return winner.routed().response();
    }

    private String summary(FallbackChain.Routed r, Duration took) {
        if (r.cached()) {
            return String.format(Locale.ROOT, "[answered from the response cache: %s's earlier answer, nothing sent"
                    + " or spent (--no-cache asks the model); %.1f s; %s%s]", r.answeredBy().id(),
                    took.toMillis() / 1000.0, r.response().stopReason().name().toLowerCase(Locale.ROOT),
                    r.callId().isEmpty() ? "" : "; call " + r.callId());
        }
        var u = r.response().usage();
        String cost = r.answeredBy().local() ? "" : hearth.cost(r)
                .map(c -> String.format(Locale.ROOT, "; $%.6f", c)).orElse("; no price for this model in the table");
        String cache = u.cacheReadTokens() + u.cacheWriteTokens() == 0 ? ""
                : String.format(Locale.ROOT, " (%d cache read, %d cache write)", u.cacheReadTokens(), u.cacheWriteTokens());
        String privacy = r.privacy() != null && !r.privacy().findings().isEmpty()
                ? "; privacy: " + r.privacy().action().name().toLowerCase(Locale.ROOT) + " " + r.privacy().findings() : "";
        return String.format(Locale.ROOT, "[answered by %s%s; %d input%s, %d output tokens%s; %.1f s; %s%s%s]",
                r.answeredBy().id(), r.sentTo().isEmpty() ? " on this machine" : " (sent to " + r.sentTo() + ")",
                u.inputTokens(), cache, u.outputTokens(), cost, took.toMillis() / 1000.0,
                r.response().stopReason().name().toLowerCase(Locale.ROOT), privacy,
                r.callId().isEmpty() ? "" : "; call " + r.callId());
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
