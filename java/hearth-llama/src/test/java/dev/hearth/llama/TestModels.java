package dev.hearth.llama;

import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/** Synthetic models written once per test JVM into a temporary directory. */
public final class TestModels {
    private static final Path DIR;
    private static final ConcurrentHashMap<String, Path> WRITTEN = new ConcurrentHashMap<>();

    static {
        try {
            DIR = Files.createTempDirectory("hearth-test-models");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestModels() {
    }

    /** The tiny llama model (F32 weights). */
    public static Path tiny() {
        return of(SyntheticModel.tiny());
    }

    public static Path tiny(WeightType type) {
        return of(SyntheticModel.tiny().withWeightType(type));
    }

    /** The tiny shape with weights that continue a run of token ids (SyntheticModel#writeSuccessor). */
    public static Path successor(SyntheticModel shape) {
        return WRITTEN.computeIfAbsent("successor " + shape, k -> {
            Path path = DIR.resolve("successor-" + Integer.toHexString(k.hashCode()) + ".gguf");
            shape.writeSuccessor(path);
            path.toFile().deleteOnExit();
            return path;
        });
    }

    public static Path of(SyntheticModel model) {
        String key = model.toString();
        return WRITTEN.computeIfAbsent(key, k -> {
            Path path = DIR.resolve("model-" + Integer.toHexString(k.hashCode()) + ".gguf");
            model.write(path);
            path.toFile().deleteOnExit();
            return path;
        });
    }

    /** Small contexts keep the tests fast on 2 cores. */
    public static ContextParams context() {
        return ContextParams.defaults().withContextSize(512).withBatchSize(128).withThreads(1);
    }
}
