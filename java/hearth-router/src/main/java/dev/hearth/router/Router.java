package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.util.Map;

/**
 * One explainable decision per request: the request's own model when it names one (the user's override always
 * wins, within the privacy rules), else the configured policy's choice for its task class.
 */
public final class Router {
    /** The model name that asks the router to choose. */
    public static final String AUTO = "auto";

    private final ModelRegistry registry;
    private final TaskClassifier classifier;
    private final RoutingPolicy policy;
    private final RouterConfig config;

    public Router(ModelRegistry registry, TaskClassifier classifier, RoutingPolicy policy, RouterConfig config) {
        this.registry = registry;
        this.classifier = classifier;
        this.policy = policy;
        this.config = config;
    }

    /** From LLM_STRATEGY and the other variables users know; an unknown strategy fails here, with the choices. */
    public static Router fromEnvironment(Map<String, String> env) {
        RouterConfig config = RouterConfig.fromEnvironment(env);
        return new Router(ModelRegistry.fromEnvironment(env), new RuleClassifier(), Policies.named(config.strategy()),
                config);
    }

    public RouterConfig config() {
        return config;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The decision for a request, without running it. */
    public RouteDecision explain(ChatRequest request) {
        Classification c = classifier.classify(request);
        String asked = request.model().strip();
        if (!asked.isEmpty() && !asked.equals(AUTO)) {
            ModelProfile p = registry.find(asked).orElse(null);
            if (p == null) {
                return new RouteDecision.Reject("the request names the unknown model \"" + asked + "\"; known: "
                        + registry.all().stream().map(ModelProfile::id).toList() + ", or \"auto\"", c);
            }
            if (!registry.isAvailable(p)) {
                return new RouteDecision.Reject(asked + " is not available: " + (p.local()
                        ? "local models are disabled (LOCAL_LLM_ENABLED)" : "no API key for " + p.provider()), c);
            }
            if (!p.local() && !config.allowExternal()) {
                return new RouteDecision.Reject(asked + " is a remote model and external providers are not allowed"
                        + " (HEARTH_ALLOW_EXTERNAL)", c);
            }
            String reason = "the request names " + asked + " (a user's choice always wins)";
            return withinBudget(p.local() ? new RouteDecision.Local(p, java.util.List.of(), reason, c, 0)
                    : new RouteDecision.Remote(p, java.util.List.of(), reason, c,
                    p.cost(Policies.estimatedInputTokens(request), request.maxTokens())));
        }
        return withinBudget(policy.decide(request, c, registry, config));
    }

    /** A remote decision that would spend more than the month has left goes local, or is refused with the numbers. */
    private RouteDecision withinBudget(RouteDecision d) {
        if (!(d instanceof RouteDecision.Remote r) || !config.budget().limited()
                || r.estimatedCost() <= config.budget().remaining()) {
            return d;
        }
        String spent = String.format(java.util.Locale.ROOT, "the monthly budget of $%.2f is spent ($%.4f used; this"
                + " request could cost $%.4f)", config.budget().monthlyLimit(), config.budget().spent(), r.estimatedCost());
        var local = r.fallbacks().stream().filter(ModelProfile::local).toList();
        if (!local.isEmpty()) {
            return new RouteDecision.Local(local.getFirst(), local.subList(1, local.size()), spent + ", so "
                    + local.getFirst().id() + " answers locally", r.classification(), 0);
        }
        return new RouteDecision.Reject(spent + "; raise HEARTH_MONTHLY_BUDGET_USD, wait for the next month, or enable a"
                + " local model", r.classification());
    }
}
