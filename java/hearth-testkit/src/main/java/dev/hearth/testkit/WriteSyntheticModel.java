package dev.hearth.testkit;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a synthetic model from the shell: the set-up's demo model and benchmarks' inputs, without the product CLI
 * shipping test fixtures. {@code --preset tiny|half_billion}, {@code --type F32|F16|Q8_0|Q4_0}, {@code --seed N},
 * {@code --output FILE}.
 */
public final class WriteSyntheticModel {
    private WriteSyntheticModel() {
    }

    public static void main(String[] args) {
        String preset = "tiny";
        WeightType type = null;
        Long seed = null;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--preset" -> preset = required(args[i], value);
                case "--type" -> type = WeightType.valueOf(required(args[i], value).toUpperCase(Locale.ROOT));
                case "--seed" -> seed = Long.parseLong(required(args[i], value));
                case "--output", "-o" -> output = Path.of(required(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (output == null) {
            usage("--output FILE is required");
        }
        SyntheticModel model = switch (preset) {
            case "tiny" -> SyntheticModel.tiny();
            case "half_billion" -> SyntheticModel.halfBillion();
            default -> {
                usage("--preset is tiny or half_billion, not " + preset);
                yield null;
            }
        };
        if (type != null) {
            model = model.withWeightType(type);
        }
        if (seed != null) {
            model = model.withSeed(seed);
        }
        model.write(output);
        System.err.println("wrote " + output + " (" + model.name() + ", " + model.weightType() + ", random weights)");
    }

    private static String required(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("write-synthetic-model: " + problem + "\nusage: --preset tiny|half_billion"
                + " [--type F32|F16|Q8_0|Q4_0] [--seed N] --output FILE");
        System.exit(2);
    }
}
