package dev.hearth.router;

import java.util.Locale;
import java.util.Map;

/**
 * How to route.
 *
 * @param strategy             the policy's name (LLM_STRATEGY)
 * @param allowExternal        whether anything may leave the machine
 * @param complexityThreshold  for hybrid: above it a request goes remote
 */
public record RouterConfig(String strategy, boolean allowExternal, double complexityThreshold) {
    /**
     * From the environment: {@code LLM_STRATEGY} (default hybrid), {@code HEARTH_ALLOW_EXTERNAL} (default: on for
     * claude_only, remote_only and hybrid when a provider key is set; off for local_only and local_fallback).
     */
    public static RouterConfig fromEnvironment(Map<String, String> env) {
        String strategy = env.getOrDefault("LLM_STRATEGY", "hybrid").strip().toLowerCase(Locale.ROOT);
        String explicit = env.get("HEARTH_ALLOW_EXTERNAL");
        boolean anyKey = ModelRegistry.hasKey(env, "anthropic") || ModelRegistry.hasKey(env, "deepseek")
                || ModelRegistry.hasKey(env, "openai");
        boolean allow = explicit != null ? Boolean.parseBoolean(explicit.strip())
                : anyKey && (strategy.equals("claude_only") || strategy.equals("remote_only") || strategy.equals("hybrid"));
        return new RouterConfig(strategy, allow, 0.45);
    }
}
