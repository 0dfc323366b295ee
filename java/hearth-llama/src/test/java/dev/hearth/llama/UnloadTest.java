package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loading and closing a model (with a context and a generation each time) must give its memory back. */
class UnloadTest {
    private static final Logger LOG = LoggerFactory.getLogger(UnloadTest.class);
    private static final long MIB = 1 << 20;

    // ~24 MiB of F32 weights, read into allocated buffers (not mmap) so that a leak would stay resident.
    private static final SyntheticModel MODEL = new SyntheticModel("unload-test", 256, 4, 8, 4, 1024, 4096, 2048,
            WeightType.F32, false, 3);

    @Test
    void loadingAndClosingFiftyTimesReturnsResidentMemory() throws IOException {
        Path file = TestModels.of(MODEL);
        ModelParams params = ModelParams.defaults().withLoadMode(LoadMode.NONE);
        cycle(file, params); // the first load initialises backends and thread pools, which stay
        cycle(file, params);
        long before = residentBytes();
        long peak = 0;
        for (int i = 0; i < 50; i++) {
            peak = Math.max(peak, cycle(file, params));
            if (i % 10 == 9) {
                LOG.info("after {} cycles: {} MiB resident", i + 1, residentBytes() / MIB);
            }
        }
        long after = residentBytes();
        LOG.info("resident memory: {} MiB before, {} MiB at the peak of a cycle, {} MiB after 50 cycles",
                before / MIB, peak / MIB, after / MIB);
        // the weights alone are ~24 MiB, so leaking one model per cycle would add over a gigabyte
        try (LlamaModel probe = LlamaModel.load(file, params)) {
            assertThat(probe.size()).isGreaterThan(20 * MIB);
        }
        assertThat(after - before).as("growth after 50 load/close cycles").isLessThan(32 * MIB);
    }

    /** Loads, generates, closes; returns the resident size while the model was loaded. */
    private static long cycle(Path file, ModelParams params) throws IOException {
        long loaded;
        try (LlamaModel model = LlamaModel.load(file, params);
             LlamaContext ctx = model.newContext(TestModels.context())) {
            ctx.generate("the model", GenerationParams.defaults().withMaxTokens(4)
                    .withSampling(SamplingParams.greedy()), TokenSink.discard());
            loaded = residentBytes();
        }
        return loaded;
    }

    // The Java heap grows with garbage and glibc keeps freed pages for reuse: collecting and trimming first makes
    // the resident size show what is still allocated.
    private static final java.lang.invoke.MethodHandle MALLOC_TRIM = java.lang.foreign.Linker.nativeLinker()
            .defaultLookup().find("malloc_trim")
            .map(s -> java.lang.foreign.Linker.nativeLinker().downcallHandle(s, java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG)))
            .orElse(null);

    static long residentBytes() throws IOException {
        System.gc();
        if (MALLOC_TRIM != null) {
            try {
                int ignored = (int) MALLOC_TRIM.invokeExact(0L);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
