package dev.hearth.testkit;

/**
 * Varies every synthetic model's random weights at once, so a test suite can be run as another machine would see it:
 * ggml picks a different kernel variant per CPU, and a random model's output changes with it; another seed stands
 * in for that. {@code HEARTH_TEST_SEED} (or {@code -Dhearth.test.seed}) unset keeps each preset's own seed, so the
 * default run is reproducible; set to N, the main preset ({@link SyntheticModel#tiny()}) takes seed N itself, and
 * every other seed {@code s} becomes a different, fixed function of {@code s} and N. A test whose verdict changes
 * with the seed depends on a random model's luck.
 */
public final class TestSeeds {
    private TestSeeds() {
    }

    /** The seed to use in place of {@code seed}: itself, or a mix of it with {@code HEARTH_TEST_SEED}. */
    public static long vary(long seed) {
        return setting().map(n -> seed ^ (n * 0x9E3779B97F4A7C15L)).orElse(seed);
    }

    /** {@code HEARTH_TEST_SEED} itself when it is set, else {@code seed}. */
    public static long replace(long seed) {
        return setting().orElse(seed);
    }

    private static java.util.Optional<Long> setting() {
        String setting = System.getProperty("hearth.test.seed", System.getenv("HEARTH_TEST_SEED"));
        if (setting == null || setting.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Long.parseLong(setting.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HEARTH_TEST_SEED must be an integer, not '" + setting + "'", e);
        }
    }
}
