package dev.hearth.server.orchestrator;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.router.Classification;
import dev.hearth.router.Policies;
import dev.hearth.router.RouteDecision;
import dev.hearth.router.Router;
import dev.hearth.router.TaskClass;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.BadRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What each quality tier would decide for a task, without changing the running router: a router of the same registry,
 * configuration (external providers, budget, measured quality), hearth.toml and circuits, with the tier's policy and
 * the task's class given instead of classified.
 */
public final class Tiers {
    /** The tiers, cheapest first. */
    public static final List<String> NAMES = List.of("budget", "balanced", "premium");
    /** The most input tokens an estimate takes per call (above every model's context window). */
    static final long MAX_INPUT_TOKENS = 2_000_000;

    /**
     * A task as a request names it: a task class ({@code code}, {@code quick_response}, ...) or an agent of
     * hearth.toml's {@code [agents]}.
     */
    public record Task(String name, TaskClass taskClass, String agent) {
        /** The class the ledger records calls under (the agent's own when it names one). */
        String ledgerClass() {
            return taskClass.name().toLowerCase(Locale.ROOT);
        }
    }

    private Tiers() {
    }

    /** Parses a task class or an agent's name, or says which there are. */
    public static Task task(Hearth hearth, String text) {
        String name = text == null ? "" : text.strip();
        for (TaskClass c : TaskClass.values()) {
            if (c.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return new Task(name.toLowerCase(Locale.ROOT), c, null);
            }
        }
        String target = hearth.router().file().agents().get(name);
        if (target != null) {
            // an agent that names a model is that model for every tier; its calls count as general ones
            TaskClass c = Arrays.stream(TaskClass.values()).filter(x -> x.name().equalsIgnoreCase(target.strip()
                    .replace('-', '_'))).findFirst().orElse(TaskClass.GENERAL);
            return new Task(name, c, name);
        }
        throw new BadRequest(404, "task", "unknown_task", "\"" + name + "\" is neither a task class nor an agent;"
                + " task classes are " + Arrays.stream(TaskClass.values()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList() + " and hearth.toml's [agents] has " + hearth.router().file().agents().keySet());
    }

    /** The tier's name checked, or the choices. */
    public static String tier(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(t)) {
            throw new BadRequest("tier", "tier must be one of " + NAMES + ", not \"" + text + "\"");
        }
        return t;
    }

    /** The decision {@code tier} would make for one call of {@code task} of that many tokens. */
    public static RouteDecision decide(Hearth hearth, String tier, Task task, long inputTokens, int outputTokens) {
        if (inputTokens < 0 || inputTokens > MAX_INPUT_TOKENS || outputTokens < 1) {
            throw new BadRequest("tokens", "tokens per call must be 0 to " + MAX_INPUT_TOKENS + " input and at least 1"
                    + " output; got " + inputTokens + " and " + outputTokens);
        }
        Router live = hearth.router();
        Classification given = new Classification(task.taskClass(), 0, 1.0, List.of("asked for "
                + (task.agent() == null ? "task class " : "agent ") + task.name()));
        Router router = new Router(live.registry(), r -> given, Policies.named(tier), live.config(), live.file());
        router.watch(hearth.health());
        return router.explain(sized(task, inputTokens, outputTokens));
    }

    /** A request the router estimates at {@code inputTokens} (its estimate: characters / 4 + 8 per message). */
    private static ChatRequest sized(Task task, long inputTokens, int outputTokens) {
        String content = "x".repeat((int) Math.max(0, (inputTokens - 8) * 4));
        String model = task.agent() == null ? Router.AUTO : "agent:" + task.agent();
        return ChatRequest.of(model, List.of(ChatMessage.user(content))).withMaxTokens(outputTokens);
    }
}
