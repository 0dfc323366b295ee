package dev.hearth.runtime;

import dev.hearth.router.ModelProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Which models a tournament asks when none are listed: different providers first, then different families. */
final class TournamentPicks {
    private TournamentPicks() {
    }

    /**
     * Up to {@code n} of {@code ranked} (best first): one per provider, then one per model family not yet asked, then
     * the best of the rest.
     */
    static <T> List<T> diverse(List<T> ranked, Function<T, ModelProfile> model, int n) {
        List<T> out = new ArrayList<>();
        Set<String> providers = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (int pass = 0; pass < 3 && out.size() < n; pass++) {
            for (T t : ranked) {
                ModelProfile p = model.apply(t);
                boolean fresh = switch (pass) {
                    case 0 -> !providers.contains(p.provider());
                    case 1 -> !families.contains(family(p));
                    default -> true;
                };
                if (out.size() < n && fresh && !out.contains(t)) {
                    out.add(t);
                    providers.add(p.provider());
                    families.add(family(p));
                }
            }
        }
        return out;
    }

    /** A model's family: its name up to the first separator ("claude-sonnet-4-6" is claude, "qwen2.5-7b" qwen2). */
    static String family(ModelProfile p) {
        String name = p.model().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        name = slash >= 0 ? name.substring(slash + 1) : name;
        String[] parts = name.split("[-_:.]", 2);
        return parts[0];
    }
}
