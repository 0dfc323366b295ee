package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import dev.hearth.api.spi.BackendTarget;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LocalModel;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.host.Estimator;
import dev.hearth.host.GpuProbe;
import dev.hearth.host.HostParams;
import dev.hearth.host.ModelHost;
import dev.hearth.host.ModelLoader;
import dev.hearth.host.ModelSpec;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.backend.LlamaBackend;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LoadMode;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.testkit.NativeHeap;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the host, with the real libllama: a model unloaded gives back all the native memory it took. */
class UnloadMemoryTest {
    /** A model read into memory, as the host holds it. */
    private record Held(LlamaModel model) implements ModelLoader.Loaded {
        @Override
        public void close() {
            model.close();
        }
    }

    private static final long MIB = 1 << 20;

    /**
     * In a JVM of its own: the C heap is the whole process's, and threads other tests leave behind in a shared JVM
     * (a ledger's SQLite page cache, a recorder, a pool) allocate while it is measured.
     */
    @Test
    void unloadingAModelReturnsTheNativeMemoryToWhereItWas(@TempDir Path dir) throws Exception {
        dev.hearth.testkit.ChildJvm.Outcome child = dev.hearth.testkit.ChildJvm.run(UnloadMemoryTest.class,
                java.util.Map.of(), 180, dir.toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("native heap: before");
    }

    public static void main(String[] args) throws Exception {
        measure(Path.of(args[0]));
    }

    private static void measure(Path dir) throws Exception {
        Path file = dir.resolve("unload.gguf");
        new SyntheticModel("unload-f16", 512, 6, 8, 8, 1408, 32000, 4096, WeightType.F16, true, 2).write(file); // 72 MB
        ModelSpec spec = new ModelSpec("unload", file, EstimateParams.cpu(2048));
        HostParams params = HostParams.defaults(8L << 30).withKeepAlive(Duration.ZERO); // unload when released
        // weights read into memory (not mapped), so that they are the process's own pages
        ModelLoader loader = (s, placement) -> new Held(LlamaModel.load(s.path(), ModelParams.defaults()
                .withLoadMode(LoadMode.NONE).withGpuLayers(placement.gpuLayers())));
        LocalModel gguf = new LlamaBackend().local(new BackendTarget("unload", "local", file.toString(), file, null,
                java.util.Map.of())).orElseThrow();
        Estimator estimator = new Estimator() {
            @Override
            public int layers(ModelSpec s) {
                return gguf.layers();
            }

            @Override
            public MemoryEstimate estimate(ModelSpec s, int gpuLayers) {
                return gguf.estimate(s.params().withGpuLayers(gpuLayers));
            }
        };
        try (ModelHost host = new ModelHost(params, GpuProbe.none(), loader, estimator, Clock.systemUTC())) {
            // the first loads set up what stays for the process's life (backends, thread pools, compiled code)
            use(host, spec);
            use(host, spec);
            assertThat(host.loaded()).isEmpty();
            long before = NativeHeap.settled(), peak = 0;
            long[] after = new long[3];
            for (int i = 0; i < 3; i++) {
                peak = Math.max(peak, use(host, spec));
                assertThat(host.loaded()).isEmpty();
                after[i] = NativeHeap.settled();
            }
            System.out.printf("native heap: before %.1f MiB, peak %.1f MiB, after each cycle %.1f, %.1f, %.1f MiB%n",
                    before / (double) MIB, peak / (double) MIB, after[0] / (double) MIB, after[1] / (double) MIB,
                    after[2] / (double) MIB);
            assertThat(peak - before).as("the loaded model's memory was counted").isGreaterThan(60 * MIB);
            // a buffer leaked per cycle (weights, KV cache, compute) is 2 MiB or more, in every cycle; the JVM's own
            // mallocs (the JIT compiling late on a busy machine) come in one step, not three
            long smallestStep = Math.min(after[0] - before, Math.min(after[1] - after[0], after[2] - after[1]));
            assertThat(smallestStep).as("native memory kept by the cycle that kept least").isLessThan(2 * MIB);
            assertThat(after[2] - before).as("native memory in use after three loads and unloads").isLessThan(
                    12 * MIB);
        }
    }

    /** Leases the model, runs a few tokens, releases it; returns the resident memory while it was loaded. */
    private static long use(ModelHost host, ModelSpec spec) throws InterruptedException, IOException {
        try (ModelHost.Lease lease = host.lease(spec, null)) {
            var model = ((Held) lease.model()).model();
            try (LlamaContext ctx = model.newContext(ContextParams.defaults().withContextSize(2048).withThreads(1))) {
                ctx.generate(model.tokenize("hello there", true, false), GenerationParams.defaults().withMaxTokens(4)
                        .withSampling(SamplingParams.greedy()), TokenSink.discard());
                return NativeHeap.inUse();
            }
        }
    }
}
