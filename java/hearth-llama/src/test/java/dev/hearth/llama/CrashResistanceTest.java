package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hearth.api.InvalidModelException;
import dev.hearth.api.TokenSink;
import dev.hearth.testkit.GgufWriter;
import dev.hearth.testkit.ModelMutator;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hundreds of damaged copies of the tiny model: each must either load and generate, or be refused with an
 * InvalidModelException. A crash in native code would take this JVM down and fail the build.
 */
class CrashResistanceTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashResistanceTest.class);

    @TempDir
    Path dir;

    @Test
    void everyDamagedModelIsRejectedCleanlyOrWorks() throws Exception {
        int loaded = 0, rejected = 0, total = 0;
        for (WeightType type : List.of(WeightType.F32, WeightType.Q8_0)) {
            Path clean = dir.resolve("clean-" + type + ".gguf");
            GgufWriter.Positions positions = SyntheticModel.tiny().withWeightType(type).write(clean);
            List<ModelMutator.Mutant> mutants = new ModelMutator(clean, positions, Long.getLong("hearth.fuzz.seed", 20261122L) + type.ordinal())
                    .mutants(Integer.getInteger("hearth.fuzz.perKind", 32));
            for (ModelMutator.Mutant mutant : mutants) {
                total++;
                Path file = dir.resolve("mutant.gguf");
                mutant.writeTo(file);
                LOG.info("mutant {} ({}): {}", total, type, mutant.description());
                try (LlamaModel model = LlamaModel.load(file, ModelParams.defaults());
                     LlamaContext ctx = model.newContext(TestModels.context().withContextSize(256))) {
                    GenerationResult r = ctx.generate("the model", GenerationParams.defaults().withMaxTokens(4)
                            .withSampling(SamplingParams.greedy()).withIgnoreEog(true), TokenSink.discard());
                    assertThat(r.generatedTokens()).isEqualTo(4);
                    loaded++;
                } catch (InvalidModelException e) {
                    assertThat(e.getMessage()).isNotBlank();
                    rejected++;
                } catch (RuntimeException e) {
                    fail("mutant " + total + " (" + mutant.description() + ") failed with " + e, e);
                }
                Files.deleteIfExists(file);
            }
        }
        LOG.info("{} mutants: {} loaded and generated, {} rejected", total, loaded, rejected);
        assertThat(total).isGreaterThanOrEqualTo(300);
        assertThat(rejected).as("most damage is detected").isGreaterThan(total / 2);
        assertThat(loaded).as("damage to weights alone still loads").isGreaterThan(0);
    }
}
