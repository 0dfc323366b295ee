package dev.hearth.router;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which licences a user may use: those named in {@code HEARTH_ALLOWED_LICENSES} (a comma-separated list), and those
 * whose {@link LicenceClass} is within {@code HEARTH_LICENSE_LEVEL} (permissive, open-weights, research or any: each
 * allows the ones before it). With neither set everything is allowed; with only the list, only the list.
 *
 * @param allowed licence names allowed whatever their class (normalised)
 * @param level   the most restricted class allowed, or null: only the list
 */
public record LicencePolicy(Set<String> allowed, LicenceClass level) {
    /** Everything allowed: the default. */
    public static final LicencePolicy ANY = new LicencePolicy(Set.of(), LicenceClass.UNKNOWN);

    public LicencePolicy {
        allowed = allowed.stream().map(LicenceClass::normalised).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        if (level == null && allowed.isEmpty()) {
            throw new IllegalArgumentException("a licence policy needs a level or at least one allowed licence");
        }
    }

    /** From HEARTH_ALLOWED_LICENSES and HEARTH_LICENSE_LEVEL (hearth.toml: allowed_licenses, license_level). */
    public static LicencePolicy fromEnvironment(Map<String, String> env) {
        String list = env.getOrDefault("HEARTH_ALLOWED_LICENSES", "");
        String level = env.getOrDefault("HEARTH_LICENSE_LEVEL", "");
        Set<String> names = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        if (level.isBlank()) {
            return names.isEmpty() ? ANY : new LicencePolicy(names, null);
        }
        return new LicencePolicy(names, LicenceClass.level(level));
    }

    /** Whether nothing is forbidden (so no licence need be looked up). */
    public boolean allowsEverything() {
        return level == LicenceClass.UNKNOWN;
    }

    public boolean allows(String licence) {
        return allowsEverything() || allowed.contains(LicenceClass.normalised(licence))
                || (level != null && LicenceClass.of(licence).ordinal() <= level.ordinal());
    }

    /** The rule, as a refusal states it. */
    public String rule() {
        String byLevel = level == null ? "" : "HEARTH_LICENSE_LEVEL=" + level.level() + " allows " + switch (level) {
            case PERMISSIVE -> "permissive licences only (Apache-2.0, MIT, BSD, ...)";
            case OPEN_WEIGHTS -> "permissive and open-weights licences (Llama, Gemma, Qwen, OpenRAIL, proprietary-api)";
            case RESEARCH -> "every known licence, research-only ones too, but no unknown one";
            case UNKNOWN -> "every licence";
        };
        String byName = allowed.isEmpty() ? "" : "HEARTH_ALLOWED_LICENSES allows " + new TreeSet<>(allowed);
        return byLevel.isEmpty() ? byName : byName.isEmpty() ? byLevel : byName + " and " + byLevel;
    }
}
