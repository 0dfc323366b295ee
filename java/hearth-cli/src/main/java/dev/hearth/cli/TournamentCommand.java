package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.Tournament;
import dev.hearth.runtime.TournamentOptions;
import dev.hearth.runtime.TournamentResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * hearth tournament "prompt": several models answer, and the verdict says how far they agree. Exits 0 on a consensus
 * or a majority, 3 on a dispute (a person should decide).
 */
@Command(name = "tournament", mixinStandardHelpOptions = true,
        description = {"Ask several models the same prompt and say whether they agree (consensus, majority or"
                + " dispute); each answer is a call in the ledger, and the spend of all is held before any is sent."})
final class TournamentCommand implements Callable<Integer>, TakesEnvironment {
    /** The exit code of a dispute. */
    static final int DISPUTE = 3;

    @Option(names = "--models", split = ",", paramLabel = "MODEL",
            description = "the models that answer, comma-separated (default: chosen from different providers)")
    List<String> models = List.of();

    @Option(names = "--n", description = "how many models answer when none are listed (default: 3)")
    int n = TournamentOptions.DEFAULT_N;

    @Option(names = "--until-agree", paramLabel = "K",
            description = "ask the cheapest first and stop once K agree (default: every model answers)")
    int untilAgree;

    @Option(names = "--threshold", description = "the cosine similarity at which two text answers agree"
            + " (default: 0.85)")
    double threshold = TournamentOptions.DEFAULT_THRESHOLD;

    @Option(names = "--max-tokens", description = "most tokens each model may write (default: 1024)")
    int maxTokens = 1024;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Parameters(paramLabel = "PROMPT")
    String prompt;

    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        TournamentOptions options = new TournamentOptions(models, n, untilAgree, threshold);
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            ChatRequest request = ChatRequest.of("auto", List.of(ChatMessage.user(prompt))).withMaxTokens(maxTokens);
            TournamentResult r = new Tournament(hearth).run(request, options, EntryPoint.CLI, Caller.ANONYMOUS);
            if (json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
            } else {
                print(r);
            }
            return r.verdict() == TournamentResult.Verdict.DISPUTE ? DISPUTE : 0;
        }
    }

    private static void print(TournamentResult r) {
        System.out.printf(Locale.ROOT, "verdict:  %s (%s)%n", r.verdict().label(), r.basis());
        for (int i = 0; i < r.candidates().size(); i++) {
            TournamentResult.Candidate c = r.candidates().get(i);
            System.out.printf(Locale.ROOT, "%s %-24s %6d ms  %s  %s%n", i == r.chosen() ? "*" : " ", c.model(),
                    c.latencyMs(), c.costUsd() == null ? "$?" : "$" + c.costUsd().toPlainString(),
                    c.answered() ? oneLine(c.answer()) : "failed: " + c.error());
        }
        if (r.early() != null && !r.early().skipped().isEmpty()) {
            System.out.printf(Locale.ROOT, "stopped early: %s not asked (about $%s saved)%n",
                    String.join(", ", r.early().skipped()), r.early().savedUsd().toPlainString());
        }
        System.out.println();
        System.out.println(r.answer() == null ? "(no model answered)" : r.answer());
    }

    private static String oneLine(String s) {
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
