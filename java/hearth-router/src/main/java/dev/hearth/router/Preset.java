package dev.hearth.router;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named bundle of routing settings laid over the strategy's choice ({@link Presets} applies them): chosen by
 * {@code HEARTH_PRESET} (hearth.toml: {@code preset}) or per request ({@link RouteOptions#preset()}).
 */
public enum Preset {
    /** The lowest measured time to first token among the models that meet the task's quality floor. */
    FAST,
    /** The lowest estimated cost among the models that meet the floor; local ones (free) first. */
    CHEAP,
    /**
     * Fallback chains kept long (every candidate of the strategy, after hearth.toml's own chain), structured output
     * validated with a retry, and a tournament wanted for the critical task classes ({@link #CRITICAL}).
     */
    RELIABLE,
    /** The most quality per dollar among the models that meet the floor (the balanced tier's measure). */
    BALANCED;

    /** The task classes whose requests the reliable preset would settle by a tournament. */
    public static final Set<TaskClass> CRITICAL = EnumSet.of(TaskClass.DEEP_THINKING, TaskClass.MATH, TaskClass.CODE,
            TaskClass.TOOL_USE);

    /** The preset of that name (any case); an unknown one fails with the choices and where it came from. */
    public static Preset named(String name, String from) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(from + " must be one of " + names() + ", not \"" + name + "\"");
        }
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Preset::label).toList();
    }

    /** The name users write: fast, cheap, reliable, balanced. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
