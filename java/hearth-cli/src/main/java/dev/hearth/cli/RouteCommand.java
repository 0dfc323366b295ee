package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ToolChoice;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.Router;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth route --explain "prompt": where the router would send a request, and why, without running it. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {"Show where the router sends a request (LLM_STRATEGY, keys, HEARTH_ALLOW_EXTERNAL), and why."})
final class RouteCommand implements Callable<Integer>, TakesEnvironment {
    @Option(names = "--explain", required = true, description = "explain the decision (nothing is sent)")
    boolean explain;

    @Option(names = "--json", description = "print the decision as JSON")
    boolean json;

    @Option(names = "--tools", paramLabel = "FILE", description = "tools the request carries (OpenAI's JSON format)")
    java.nio.file.Path tools;

    @Option(names = "--rules", description = "classify by the rules alone (default: by meaning, with the local"
            + " embedder, and the rules where they are certain)")
    boolean rulesOnly;

    @Option(names = "--model", description = "a model the request names (default: auto)")
    String model = Router.AUTO;

    @Option(names = "--preset", description = "a preset: fast, cheap, reliable or balanced (default: HEARTH_PRESET,"
            + " else none)")
    String preset;

    @Parameters(paramLabel = "PROMPT")
    String prompt;

    /** Where settings come from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(this.env);
        env.put("HEARTH_CLASSIFIER", rulesOnly ? "rules" : env.getOrDefault("HEARTH_CLASSIFIER", "semantic"));
        try (dev.hearth.runtime.Hearth hearth = dev.hearth.runtime.Hearth.fromEnvironment(env)) {
            return explain(hearth.router(), hearth.use(model));
        }
    }

    private int explain(Router router, String model) throws Exception {
        ChatRequest request = ChatRequest.of(model, List.of(ChatMessage.user(prompt)));
        if (tools != null) {
            request = request.withTools(ToolsFile.read(tools), ToolChoice.AUTO);
        }
        dev.hearth.router.Steered steered = router.steer(request, dev.hearth.router.RouteOptions.defaults()
                .withPreset(preset));
        RouteDecision d = steered.decision();
        String presetLine = steered.preset() == null ? "(none)" : steered.change();
        String chosen = switch (d) {
            case RouteDecision.Local l -> l.model().id();
            case RouteDecision.Remote r -> r.model().id();
            case RouteDecision.Reject x -> "";
        };
        List<String> fallbacks = d.chain().stream().skip(1).map(ModelProfile::id).toList();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("strategy", router.config().strategy());
            o.put("decision", d.getClass().getSimpleName().toLowerCase(Locale.ROOT));
            o.put("taskClass", d.classification().taskClass().name().toLowerCase(Locale.ROOT));
            o.put("complexity", d.classification().complexity());
            o.put("confidence", d.classification().confidence());
            o.put("model", chosen);
            o.put("reason", d.reason());
            fallbacks.forEach(o.putArray("fallbacks")::add);
            d.classification().evidence().forEach(o.putArray("evidence")::add);
            o.put("externalAllowed", router.config().allowExternal());
            if (steered.preset() != null) {
                o.put("preset", steered.preset().label());
                o.put("presetChange", steered.change());
                o.put("tournament", steered.tournament());
            }
            if (d instanceof RouteDecision.Remote r) {
                o.put("estimatedCostUsd", r.estimatedCost());
            }
            System.out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            System.out.printf(Locale.ROOT, "strategy:   %s (external providers %s)%ntask:       %s (complexity %.2f,"
                            + " confidence %.2f; %s)%npreset:     %s%ndecision:   %s%nreason:     %s%nfallbacks:  %s%n",
                    router.config().strategy(), router.config().allowExternal() ? "allowed" : "not allowed",
                    d.classification().taskClass().name().toLowerCase(Locale.ROOT), d.classification().complexity(),
                    d.classification().confidence(), String.join(", ", d.classification().evidence()), presetLine,
                    d instanceof RouteDecision.Reject ? "reject" : (d instanceof RouteDecision.Local ? "local " : "remote ")
                            + chosen, d.reason(), fallbacks.isEmpty() ? "(none)" : String.join(" -> ", fallbacks));
        }
        return d instanceof RouteDecision.Reject ? 1 : 0;
    }
}
