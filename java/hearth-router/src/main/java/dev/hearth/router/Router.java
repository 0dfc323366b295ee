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
            return p.local() ? new RouteDecision.Local(p, java.util.List.of(), reason, c, 0)
                    : new RouteDecision.Remote(p, java.util.List.of(), reason, c,
                    p.cost(Policies.estimatedInputTokens(request), request.maxTokens()));
        }
        return policy.decide(request, c, registry, config);
    }
}
