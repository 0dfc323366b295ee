package dev.hearth.cli;

import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** hearth synthetic: write a model with random weights (demo, tests, benchmarks). */
@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Write a llama-architecture GGUF model with seeded random weights (meaningless output,"
                + " real cost): for demos, tests and benchmarks.")
final class SyntheticCommand implements Callable<Integer> {
    enum Preset { tiny, half_billion }

    @Option(names = "--preset", description = "tiny or half_billion (the shape of Qwen2.5-0.5B); default: ${DEFAULT-VALUE}")
    Preset preset = Preset.tiny;

    @Option(names = "--type", description = "F32, F16, Q8_0 or Q4_0 (default: the preset's)")
    WeightType type;

    @Option(names = "--seed", description = "seed of the weights")
    Long seed;

    @Option(names = {"-o", "--output"}, required = true, description = "where to write the .gguf file")
    Path output;

    @Override
    public Integer call() {
        SyntheticModel model = preset == Preset.tiny ? SyntheticModel.tiny() : SyntheticModel.halfBillion();
        if (type != null) {
            model = model.withWeightType(type);
        }
        if (seed != null) {
            model = model.withSeed(seed);
        }
        model.write(output);
        System.err.println("wrote " + output + " (" + model.name() + ", " + model.weightType() + ", random weights)");
        return 0;
    }
}
