package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lays a {@link Preset} over the strategy's decision. The candidates are the strategy's chain (so a preset never
 * sends a request where the strategy, the licences or the keys would not); fast, cheap and balanced reorder it, the
 * models that meet the task's quality floor first. The floor: a model that is not weak at the task class and whose
 * quality there (declared, moved by callers' scores) is at least {@value #HARD_FLOOR} for code, math, deep thinking
 * and tool use, {@value #EASY_FLOOR} for the others. Stateless.
 */
final class Presets {
    static final double HARD_FLOOR = 0.7;
    static final double EASY_FLOOR = 0.3;
    private static final Set<TaskClass> HARD = EnumSet.of(TaskClass.CODE, TaskClass.MATH, TaskClass.DEEP_THINKING,
            TaskClass.TOOL_USE);

    /** The decision, what the preset changed (or kept), and whether it wants a tournament. */
    record Result(RouteDecision decision, String change, boolean tournament) {
    }

    private Presets() {
    }

    static double floor(TaskClass c) {
        return HARD.contains(c) ? HARD_FLOOR : EASY_FLOOR;
    }

    static boolean meetsFloor(ModelProfile p, TaskClass c, RouterConfig cfg) {
        return !p.weaknesses().contains(c) && cfg.quality().of(p, c) >= floor(c);
    }

    /**
     * @param policy the strategy's own decision (its chain is every candidate)
     * @param base   the decision after hearth.toml's defaults and fallbacks and the circuits
     */
    static Result apply(Preset preset, RouteDecision policy, RouteDecision base, ChatRequest r, RouterConfig cfg,
            Measurements speeds) {
        if (preset == null) {
            return new Result(base, "", false);
        }
        if (base instanceof RouteDecision.Reject) {
            return new Result(base, preset.label() + ": no model can take the request, so nothing to reorder", false);
        }
        TaskClass c = base.classification().taskClass();
        long in = Policies.estimatedInputTokens(r);
        return switch (preset) {
            case FAST -> reorder(preset, base, r, cfg, Comparator.comparingDouble((ModelProfile p) -> speeds.of(p)
                    .ttftMillis()).thenComparing(Comparator.comparingDouble(ModelProfile::quality).reversed()), p -> {
                        Measurements.Speed s = speeds.of(p);
                        return String.format(Locale.ROOT, "its time to first token (%.0f ms, %s) is the lowest",
                                s.ttftMillis(), s.measured() ? "measured" : "declared, not measured yet");
                    });
            case CHEAP -> reorder(preset, base, r, cfg, Comparator.comparingDouble((ModelProfile p) -> cost(p, in, r))
                    .thenComparing(p -> !p.local())
                    .thenComparing(Comparator.comparingDouble(ModelProfile::quality).reversed()),
                    p -> p.local() ? "it is local, so it costs nothing" : String.format(Locale.ROOT,
                            "its estimated cost ($%.6f) is the lowest", cost(p, in, r)));
            case BALANCED -> reorder(preset, base, r, cfg, Policies.qualityPerDollar(cfg, c, r),
                    p -> "it gives the most quality per dollar");
            case RELIABLE -> reliable(policy, base, r, c);
        };
    }

    private static double cost(ModelProfile p, long in, ChatRequest r) {
        return p.cost(in, p.outputCap(r.maxTokens()));
    }

    private static Result reorder(Preset preset, RouteDecision base, ChatRequest r, RouterConfig cfg,
            Comparator<ModelProfile> order, java.util.function.Function<ModelProfile, String> why) {
        TaskClass c = base.classification().taskClass();
        String floor = String.format(Locale.ROOT, "the %s quality floor of %.2f", name(c), floor(c));
        List<ModelProfile> chain = base.chain();
        List<ModelProfile> fit = chain.stream().filter(p -> meetsFloor(p, c, cfg)).sorted(order).toList();
        if (fit.isEmpty()) {
            String change = preset.label() + ": no model of the chain meets " + floor + ", so the strategy's order"
                    + " stands";
            return new Result(rebuild(base, chain, base.reason() + "; preset " + change, r), change, false);
        }
        List<ModelProfile> out = new ArrayList<>(fit);
        chain.stream().filter(p -> !out.contains(p)).forEach(out::add);
        ModelProfile first = out.getFirst();
        ModelProfile was = chain.getFirst();
        String change = preset.label() + ": " + first.id() + (first.equals(was) ? " stays first: "
                : " goes first instead of " + was.id() + ": ") + why.apply(first) + " of the models that meet " + floor;
        return new Result(rebuild(base, out, base.reason() + "; preset " + change, r), change, false);
    }

    private static Result reliable(RouteDecision policy, RouteDecision base, ChatRequest r, TaskClass c) {
        List<ModelProfile> out = new ArrayList<>(base.chain());
        policy.chain().stream().filter(p -> !out.contains(p)).forEach(out::add);
        int added = out.size() - base.chain().size();
        boolean tournament = Preset.CRITICAL.contains(c);
        String change = "reliable: " + (added > 0 ? "the chain keeps " + added + " more of the strategy's candidates"
                + " after hearth.toml's fallbacks (" + out.size() + " models)" : "the chain keeps every candidate of"
                + " the strategy (" + out.size() + (out.size() == 1 ? " model)" : " models)"))
                + "; structured answers are validated, with a retry"
                + (tournament ? "; a tournament is wanted for " + name(c) + " (a critical task class)" : "");
        return new Result(rebuild(base, out, base.reason() + "; preset " + change, r), change, tournament);
    }

    private static String name(TaskClass c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The decision that runs {@code chain} in order, for {@code reason}. */
    static RouteDecision rebuild(RouteDecision d, List<ModelProfile> chain, String reason, ChatRequest r) {
        ModelProfile first = chain.getFirst();
        List<ModelProfile> rest = chain.subList(1, chain.size());
        return first.local() ? new RouteDecision.Local(first, rest, reason, d.classification(), 0)
                : new RouteDecision.Remote(first, rest, reason, d.classification(),
                first.cost(Policies.estimatedInputTokens(r), first.outputCap(r.maxTokens())));
    }
}
