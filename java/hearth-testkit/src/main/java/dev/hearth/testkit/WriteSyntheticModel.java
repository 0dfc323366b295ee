package dev.hearth.testkit;

import dev.hearth.api.io.SafeFiles;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a synthetic model from the shell: the set-up's demo model and benchmarks' inputs, without the product CLI
 * shipping test fixtures. {@code --preset tiny|half_billion}, {@code --type F32|F16|Q8_0|Q4_0}, {@code --seed N},
 * {@code --output FILE}, {@code --force} to replace an existing regular file (nothing else is ever replaced).
 */
public final class WriteSyntheticModel {
    private static final String USAGE = "usage: --preset tiny|half_billion [--type F32|F16|Q8_0|Q4_0] [--seed N]"
            + " --output FILE [--force]";

    private WriteSyntheticModel() {
    }

    public static void main(String[] args) {
        System.exit(run(System.err, args));
    }

    /** Exit code: 0 written, 1 not written (the target was refused or the write failed), 2 bad arguments. */
    static int run(PrintStream err, String... args) {
        try {
            return write(err, args);
        } catch (BadArguments e) {
            err.println("write-synthetic-model: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
    }

    private static int write(PrintStream err, String... args) {
        String preset = "tiny";
        WeightType type = null;
        Long seed = null;
        Path output = null;
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--preset" -> preset = required(args[i], value);
                case "--type" -> type = weightType(required(args[i], value));
                case "--seed" -> seed = seed(required(args[i], value));
                case "--output", "-o" -> output = path(required(args[i], value));
                case "--force" -> {
                    force = true;
                    continue; // takes no value
                }
                default -> throw new BadArguments("unknown option " + args[i]);
            }
            i++;
        }
        if (output == null) {
            throw new BadArguments("--output FILE is required");
        }
        SyntheticModel model = switch (preset) {
            case "tiny" -> SyntheticModel.tiny();
            case "half_billion" -> SyntheticModel.halfBillion();
            default -> throw new BadArguments("--preset is tiny or half_billion, not " + preset);
        };
        if (type != null) {
            model = model.withWeightType(type);
        }
        if (seed != null) {
            model = model.withSeed(seed);
        }
        try {
            model.write(output, force ? SafeFiles.Existing.REPLACE : SafeFiles.Existing.REFUSE);
        } catch (UncheckedIOException e) {
            err.println("write-synthetic-model: " + (e.getCause() instanceof FileAlreadyExistsException
                    ? "--output " + output + " exists already; pass --force to replace it, or choose another name"
                    : "--output: " + e.getMessage()));
            return 1;
        }
        err.println("wrote " + output + " (" + model.name() + ", " + model.weightType() + ", random weights)");
        return 0;
    }

    private static WeightType weightType(String value) {
        try {
            return WeightType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadArguments("--type is F32, F16, Q8_0 or Q4_0, not " + value);
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadArguments("--seed is a whole number, not " + value);
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new BadArguments("--output is not a usable file name: " + e.getMessage());
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new BadArguments(option + " needs a value");
        }
        return value;
    }

    /** A command line this tool cannot run: the message says which option and why. */
    private static final class BadArguments extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message);
        }
    }
}
