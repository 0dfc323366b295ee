package dev.hearth.spring.ai.autoconfigure;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.*}: the settings the runtime reads from the environment, as Spring properties. Each named property
 * stands for the variable the runtime already knows (see {@link #environment}); {@code hearth.env.*} passes any other
 * one through ({@code hearth.env.HEARTH_RAM_BUDGET_GIB=4}, or in relaxed form {@code hearth.env.hearth-ram-budget-gib});
 * budgets per key, agent or model, and models of your own, go in the hearth.toml that {@code hearth.config} names.
 *
 * @param strategy           LLM_STRATEGY: local_only, hybrid, local_fallback, remote_only, claude_only, ...
 * @param localModel         LOCAL_MODEL_NAME: the local model, by its name in the model cache
 * @param modelCacheDir      MODEL_CACHE_DIR
 * @param config             HEARTH_CONFIG: a hearth.toml
 * @param privacy            HEARTH_PRIVACY: redact (the runtime's default), refuse or allow
 * @param monthlyBudgetUsd   HEARTH_MONTHLY_BUDGET_USD: what remote calls may cost a month
 * @param preferLocal        HEARTH_PREFER_LOCAL
 * @param keys               the vendors' API keys (ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, OPENAI_API_KEY)
 * @param chat               what the chat model asks for when a prompt's options do not say
 * @param env                more variables, passed through as they are
 * @param inheritEnvironment whether the process environment lies under all of these (true); false: these alone
 */
@ConfigurationProperties("hearth")
public record HearthProperties(String strategy, String localModel, String modelCacheDir, String config,
        String privacy, BigDecimal monthlyBudgetUsd, Boolean preferLocal, Keys keys, Chat chat,
        Map<String, String> env, @DefaultValue("true") boolean inheritEnvironment) {

    /** The vendors' API keys. */
    public record Keys(String anthropic, String deepseek, String openai) {
    }

    /**
     * @param model     a model spec: {@code auto} (the router decides), a model id, a cache name, a file, or
     *                  {@code PROVIDER:MODEL}
     * @param maxTokens the most tokens an answer may have (the runtime's default when unset)
     * @param temperature the sampling temperature (the backend's default when unset)
     * @param toolChoice  auto, required, none or a tool's name
     */
    public record Chat(@DefaultValue("auto") String model, Integer maxTokens, Double temperature, String toolChoice) {
    }

    public HearthProperties {
        keys = keys == null ? new Keys(null, null, null) : keys;
        chat = chat == null ? new Chat("auto", null, null, null) : chat;
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /**
     * The environment the runtime is built from: {@code process} (when inherited), then {@code hearth.env.*}, then
     * the named properties, each later one winning.
     */
    public Map<String, String> environment(Map<String, String> process) {
        Map<String, String> out = new LinkedHashMap<>();
        if (inheritEnvironment) {
            out.putAll(process);
        }
        env.forEach((name, value) -> out.put(variable(name), value));
        put(out, "LLM_STRATEGY", strategy);
        put(out, "LOCAL_MODEL_NAME", localModel);
        put(out, "MODEL_CACHE_DIR", modelCacheDir);
        put(out, "HEARTH_CONFIG", config);
        put(out, "HEARTH_PRIVACY", privacy);
        put(out, "HEARTH_MONTHLY_BUDGET_USD", monthlyBudgetUsd == null ? null : monthlyBudgetUsd.toPlainString());
        put(out, "HEARTH_PREFER_LOCAL", preferLocal == null ? null : preferLocal.toString());
        put(out, "ANTHROPIC_API_KEY", keys.anthropic());
        put(out, "DEEPSEEK_API_KEY", keys.deepseek());
        put(out, "OPENAI_API_KEY", keys.openai());
        return out;
    }

    /** {@code hearth-ram-budget-gib} and {@code HEARTH_RAM_BUDGET_GIB} name the same variable. */
    static String variable(String key) {
        return key.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null && !value.isBlank()) {
            out.put(name, value.strip());
        }
    }
}
