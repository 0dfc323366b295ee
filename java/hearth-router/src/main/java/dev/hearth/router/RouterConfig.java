package dev.hearth.router;

import dev.hearth.api.Settings;
import java.util.Locale;
import java.util.Map;

/**
 * How to route.
 *
 * @param strategy             the policy's name (LLM_STRATEGY)
 * @param allowExternal        whether anything may leave the machine
 * @param complexityThreshold  for hybrid: above it a request goes remote
 * @param budget               the monthly limit on remote spend, and what is spent
 * @param preferLocal          for the tiers: a local model that is strong at the task wins over a remote one
 * @param quality              each model's quality as the tiers weigh it: declared, moved by callers' scores
 */
public record RouterConfig(String strategy, boolean allowExternal, double complexityThreshold, Budget budget,
        boolean preferLocal, MeasuredQuality quality) {
    /**
     * From the environment: {@code LLM_STRATEGY} (default hybrid), {@code HEARTH_ALLOW_EXTERNAL} (default: on for
     * claude_only, remote_only and hybrid when a provider key is set; off for local_only and local_fallback),
     * {@code HEARTH_MONTHLY_BUDGET_USD} (default none), {@code HEARTH_PREFER_LOCAL} (default true).
     */
    public static RouterConfig fromEnvironment(Map<String, String> env) {
        String strategy = env.getOrDefault("LLM_STRATEGY", "hybrid").strip().toLowerCase(Locale.ROOT);
        boolean anyKey = ModelRegistry.hasKey(env, "anthropic") || ModelRegistry.hasKey(env, "deepseek")
                || ModelRegistry.hasKey(env, "openai");
        boolean tier = strategy.equals("budget") || strategy.equals("balanced") || strategy.equals("premium");
        boolean allow = Settings.flag(env, "HEARTH_ALLOW_EXTERNAL", anyKey && (tier || strategy.equals("claude_only")
                || strategy.equals("remote_only") || strategy.equals("hybrid")));
        String limit = env.get("HEARTH_MONTHLY_BUDGET_USD");
        Budget budget;
        try {
            budget = limit == null || limit.isBlank() ? Budget.unlimited()
                    : new Budget(Double.parseDouble(limit.strip()), java.time.Clock.systemUTC());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HEARTH_MONTHLY_BUDGET_USD must be a number of dollars, not " + limit);
        }
        boolean preferLocal = Settings.flag(env, "HEARTH_PREFER_LOCAL", true);
        return new RouterConfig(strategy, allow, 0.45, budget, preferLocal,
                new MeasuredQuality(java.time.Clock.systemUTC()));
    }
}
