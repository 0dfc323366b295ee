package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.Dollars;
import dev.hearth.api.ResponseFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The routing policies, by name: local_only, remote_only, claude_only, hybrid, local_fallback. */
public final class Policies {
    private static final Map<String, RoutingPolicy> BY_NAME = new LinkedHashMap<>();
    private static final Set<TaskClass> HARD = EnumSet.of(TaskClass.TOOL_USE, TaskClass.DEEP_THINKING, TaskClass.CODE,
            TaskClass.MATH);

    static {
        register(policy("local_only", (r, c, reg, cfg) -> {
            List<ModelProfile> local = ranked(reg.available(true), r, c);
            return local.isEmpty()
                    ? new RouteDecision.Reject("local_only: no local model can take this request; pull one (bin/hearth"
                    + " models pull NAME), set LOCAL_MODEL_NAME, or enable LOCAL_LLM_ENABLED", c)
                    : local(local, List.of(), "local_only: " + why(local.getFirst(), c), r, c);
        }));
        register(policy("remote_only", (r, c, reg, cfg) -> remote(r, c, reg, cfg, "remote_only", null)));
        register(policy("claude_only", (r, c, reg, cfg) -> remote(r, c, reg, cfg, "claude_only", "anthropic")));
        register(policy("hybrid", (r, c, reg, cfg) -> {
            List<ModelProfile> local = ranked(reg.available(true), r, c);
            List<ModelProfile> remote = cfg.allowExternal() ? ranked(reg.available(false), r, c) : List.of();
            boolean hard = HARD.contains(c.taskClass()) || c.complexity() > cfg.complexityThreshold();
            String what = HARD.contains(c.taskClass()) ? c.taskClass().name().toLowerCase() + " request"
                    : c.complexity() > cfg.complexityThreshold() ? "complexity " + c.complexity() + " above "
                    + cfg.complexityThreshold() : "simple " + c.taskClass().name().toLowerCase() + " request";
            if (hard && !remote.isEmpty()) {
                return remoteDecision(remote, local, "hybrid: " + what + " goes to " + remote.getFirst().id()
                        + " (" + why(remote.getFirst(), c) + ")", r, c);
            }
            if (!local.isEmpty()) {
                String note = hard ? "; no remote model is allowed or available, so it stays local" : "";
                return local(local, remote, "hybrid: " + what + " stays local on " + local.getFirst().id() + note, r, c);
            }
            if (!remote.isEmpty()) {
                return remoteDecision(remote, List.of(), "hybrid: no local model can take it; " + remote.getFirst().id()
                        + " can", r, c);
            }
            return new RouteDecision.Reject("hybrid: no model can take this request: no local model is available and "
                    + (cfg.allowExternal() ? "no remote provider has a key" : "external providers are not allowed"), c);
        }));
        register(policy("local_fallback", (r, c, reg, cfg) -> {
            List<ModelProfile> local = ranked(reg.available(true), r, c);
            List<ModelProfile> remote = cfg.allowExternal() ? ranked(reg.available(false), r, c) : List.of();
            if (!local.isEmpty()) {
                return local(local, remote, "local_fallback: local first on " + local.getFirst().id()
                        + (remote.isEmpty() ? "; no remote fallback (external providers off or without keys)"
                        : "; falls back to " + remote.getFirst().id()), r, c);
            }
            return remote.isEmpty() ? new RouteDecision.Reject("local_fallback: no local model and no allowed remote"
                    + " one", c) : remoteDecision(remote, List.of(), "local_fallback: no local model; "
                    + remote.getFirst().id(), r, c);
        }));
    }

    static {
        for (String tier : List.of("budget", "balanced", "premium")) {
            register(policy(tier, (r, c, reg, cfg) -> tier(tier, r, c, reg, cfg)));
        }
    }

    private Policies() {
    }

    /**
     * The quality tiers: budget (the cheapest model strong at the task), balanced (the most quality per dollar),
     * premium (the best quality; quality as declared, moved by callers' scores: {@link MeasuredQuality}), each within
     * the month's remaining budget; with prefer_local a local model strong at
     * the task wins; when the budget is spent, local.
     */
    private static RouteDecision tier(String tier, ChatRequest r, Classification c, ModelRegistry reg, RouterConfig cfg) {
        List<ModelProfile> local = ranked(reg.available(true), r, c);
        double remaining = cfg.budget().remaining();
        long in = estimatedInputTokens(r);
        List<ModelProfile> remote = cfg.allowExternal() ? ranked(reg.available(false), r, c).stream()
                .filter(p -> p.cost(in, p.outputCap(r.maxTokens())) <= remaining).toList() : List.of();
        if (cfg.preferLocal() && !local.isEmpty() && local.getFirst().strongAt(c.taskClass())) {
            return local(local, remote, tier + ": " + local.getFirst().id() + " is local and strong at "
                    + c.taskClass().name().toLowerCase() + " (prefer_local)", r, c);
        }
        List<ModelProfile> all = new ArrayList<>(remote);
        all.addAll(local);
        // budget picks among the models strong at the task; balanced and premium among all that are not weak at it
        List<ModelProfile> strong = all.stream().filter(p -> p.strongAt(c.taskClass())).toList();
        List<ModelProfile> notWeak = all.stream().filter(p -> !p.weaknesses().contains(c.taskClass())).toList();
        List<ModelProfile> pool = tier.equals("budget") ? (strong.isEmpty() ? all : strong)
                : (notWeak.isEmpty() ? all : notWeak);
        if (pool.isEmpty()) {
            return new RouteDecision.Reject(tier + ": no model can take this request within the budget ("
                    + Dollars.format(remaining) + " left this month) and none is local", c);
        }
        Comparator<ModelProfile> order = switch (tier) {
            case "budget" -> Comparator.comparingDouble(p -> p.cost(in, p.outputCap(r.maxTokens())));
            case "balanced" -> qualityPerDollar(cfg, c.taskClass(), r);
            default -> Comparator.comparingDouble((ModelProfile p) -> cfg.quality().of(p, c.taskClass())).reversed();
        };
        List<ModelProfile> sorted = new ArrayList<>(pool.stream().sorted(order).toList());
        all.stream().filter(p -> !sorted.contains(p)).forEach(sorted::add);
        ModelProfile first = sorted.getFirst();
        String why = tier + ": " + first.id() + switch (tier) {
            case "budget" -> " is the cheapest";
            case "balanced" -> " gives the most quality per dollar";
            default -> " has the best quality";
        } + (tier.equals("budget") && !strong.isEmpty() ? " of those strong at " + c.taskClass().name().toLowerCase()
                : "")
                + (cfg.budget().limited() ? " within the " + Dollars.format(remaining) + " left this month" : "");
        return first.local() ? new RouteDecision.Local(first, sorted.subList(1, sorted.size()), why, c, 0)
                : new RouteDecision.Remote(first, sorted.subList(1, sorted.size()), why, c, first.cost(in, first.outputCap(r.maxTokens())));
    }

    /** The balanced tier's measure, best first: quality at the task class over (1 + 100 x the estimated cost). */
    static Comparator<ModelProfile> qualityPerDollar(RouterConfig cfg, TaskClass c, ChatRequest r) {
        long in = estimatedInputTokens(r);
        return Comparator.comparingDouble((ModelProfile p) -> cfg.quality().of(p, c)
                / (1 + 100 * p.cost(in, p.outputCap(r.maxTokens())))).reversed();
    }

    public static void register(RoutingPolicy p) {
        BY_NAME.put(p.name(), p);
    }

    /** The policy of that name; an unknown name fails with the valid choices. */
    public static RoutingPolicy named(String name) {
        RoutingPolicy p = BY_NAME.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown strategy \"" + name + "\"; choose one of " + BY_NAME.keySet()
                    + " (LLM_STRATEGY)");
        }
        return p;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    private interface Decide {
        RouteDecision decide(ChatRequest r, Classification c, ModelRegistry reg, RouterConfig cfg);
    }

    private static RoutingPolicy policy(String name, Decide decide) {
        return new RoutingPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RouteDecision decide(ChatRequest request, Classification c, ModelRegistry registry, RouterConfig cfg) {
                return decide.decide(request, c, registry, cfg);
            }
        };
    }

    private static RouteDecision remote(ChatRequest r, Classification c, ModelRegistry reg, RouterConfig cfg, String name,
            String preferredProvider) {
        if (!cfg.allowExternal()) {
            return new RouteDecision.Reject(name + ": external providers are not allowed (HEARTH_ALLOW_EXTERNAL=false, or"
                    + " no provider key is set)", c);
        }
        List<ModelProfile> remote = new ArrayList<>(ranked(reg.available(false), r, c));
        if (preferredProvider != null) {
            remote.sort(Comparator.comparing(p -> !p.provider().equals(preferredProvider)));
        }
        return remote.isEmpty() ? new RouteDecision.Reject(name + ": no remote provider has a key; set ANTHROPIC_API_KEY"
                + " or DEEPSEEK_API_KEY", c)
                : remoteDecision(remote, List.of(), name + ": " + why(remote.getFirst(), c), r, c);
    }

    /**
     * Models that can take the request (tools, schema, context), those strong at its class first, those weak at it
     * last; between equals, the cheapest for quick and general requests and the best for the others.
     */
    static List<ModelProfile> ranked(List<ModelProfile> models, ChatRequest r, Classification c) {
        long tokens = estimatedInputTokens(r);
        boolean cheapWins = c.taskClass() == TaskClass.QUICK_RESPONSE || c.taskClass() == TaskClass.GENERAL;
        Comparator<ModelProfile> tieBreak = cheapWins
                ? Comparator.comparingDouble((ModelProfile p) -> p.cost(1000, 1000))
                : Comparator.comparingDouble(ModelProfile::quality).reversed();
        return models.stream()
                .filter(p -> r.tools().isEmpty() || p.tools())
                .filter(p -> r.responseFormat() instanceof ResponseFormat.Text || p.jsonSchema())
                .filter(p -> p.contextWindow() >= tokens + p.outputCap(r.maxTokens()))
                .sorted(Comparator.comparing((ModelProfile p) -> !p.strongAt(c.taskClass()))
                        .thenComparing(p -> p.weaknesses().contains(c.taskClass()))
                        .thenComparing(tieBreak))
                .toList();
    }

    /** The router's estimate of a request's input tokens, where no tokenizer is at hand (a remote model's). */
    public static long estimatedInputTokens(ChatRequest r) {
        return dev.hearth.api.TokenEstimates.ofRequest(r);
    }

    private static String why(ModelProfile p, Classification c) {
        boolean cheap = c.taskClass() == TaskClass.QUICK_RESPONSE || c.taskClass() == TaskClass.GENERAL;
        return p.id() + (p.strongAt(c.taskClass()) ? " is strong at " + c.taskClass().name().toLowerCase()
                : cheap ? " is the cheapest that can take it" : " has the best quality that can take it");
    }

    private static RouteDecision local(List<ModelProfile> local, List<ModelProfile> remote, String reason, ChatRequest r,
            Classification c) {
        List<ModelProfile> fallbacks = new ArrayList<>(local.subList(1, local.size()));
        fallbacks.addAll(remote);
        return new RouteDecision.Local(local.getFirst(), fallbacks, reason, c, 0);
    }

    private static RouteDecision remoteDecision(List<ModelProfile> remote, List<ModelProfile> local, String reason,
            ChatRequest r, Classification c) {
        List<ModelProfile> fallbacks = new ArrayList<>(remote.subList(1, remote.size()));
        fallbacks.addAll(local);
        ModelProfile first = remote.getFirst();
        return new RouteDecision.Remote(first, fallbacks, reason, c, first.cost(estimatedInputTokens(r), first.outputCap(r.maxTokens())));
    }
}
