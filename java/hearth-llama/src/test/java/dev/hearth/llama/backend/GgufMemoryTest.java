package dev.hearth.llama.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.llama.ContextParams;
import dev.hearth.llama.CpuFeatures;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.gguf.GgmlType;
import dev.hearth.llama.gguf.GgufFile;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate against what llama.cpp really allocates (the buffer sizes it logs), on CPU, for several shapes. */
class GgufMemoryTest {
    @TempDir
    Path dir;

    static final SyntheticModel[] SHAPES = {SyntheticModel.tiny(),
            new SyntheticModel("gqa-q8", 256, 4, 8, 2, 768, 4096, 4096, WeightType.Q8_0, false, 1),
            new SyntheticModel("mha-f16-tied", 512, 6, 8, 8, 1408, 32000, 4096, WeightType.F16, true, 2),
            new SyntheticModel("gqa-q4-repacked", 384, 3, 6, 2, 1024, 50000, 8192, WeightType.Q4_0, false, 3)};

    @Test
    void theEstimateIsWithinTenPercentOfWhatLlamaCppAllocatesAndNeverMoreThanThreePercentBelow() throws Exception {
        List<String> table = new ArrayList<>();
        int cases = 0;
        for (SyntheticModel shape : SHAPES) {
            Path file = dir.resolve(shape.name() + ".gguf");
            shape.write(file);
            GgufFile gguf = GgufFile.read(file);
            for (KvCacheType kv : KvCacheType.values()) {
                if (kv != KvCacheType.F16 && (shape.nEmbd() / shape.nHead()) % 32 != 0) {
                    continue; // quantized caches need heads whose width is a multiple of 32
                }
                for (int ctx : new int[] {512, 2048, 4096}) {
                    for (int ub : new int[] {128, 512}) {
                        var real = AllocationProbe.measure(file, ModelParams.defaults(), ContextParams.defaults()
                                .withContextSize(ctx).withMicroBatch(ub).withKvCacheType(kv).withThreads(1));
                        MemoryEstimate est = GgufMemory.estimate(gguf, EstimateParams.cpu(ctx).withKvCacheType(kv)
                                .withMicroBatch(ub));
                        double ratio = (double) est.total() / real.total();
                        table.add(String.format("| %s | %s | %d | %d | %.2f | %.2f | %.3f |", shape.name(), kv, ctx, ub,
                                real.total() / 1048576.0, est.total() / 1048576.0, ratio));
                        assertThat(ratio).as("%s kv=%s ctx=%d ub=%d: estimate %d, real %s", shape.name(), kv, ctx, ub,
                                est.total(), real).isBetween(0.97, 1.10);
                        cases++;
                    }
                }
            }
        }
        System.out.println("| model | KV | ctx | ubatch | real MiB | estimate MiB | estimate/real |");
        table.forEach(System.out::println);
        assertThat(cases).isGreaterThanOrEqualTo(40);
    }

    @Test
    void repackedCopiesAreCountedOnlyWhereTheBackendRepacks() throws Exception {
        Path file = dir.resolve("q4.gguf");
        SHAPES[3].write(file);
        GgufFile gguf = GgufFile.read(file);
        EstimateParams p = EstimateParams.cpu(2048);
        long generic = GgufMemory.estimate(gguf, p, new CpuFeatures(Map.of("REPACK", "1"))).cpuWeights();
        long avx2 = GgufMemory.estimate(gguf, p, new CpuFeatures(Map.of("AVX2", "1", "REPACK", "1"))).cpuWeights();
        long q4Matrices = gguf.tensors().stream().filter(t -> t.type() == GgmlType.Q4_0 && t.dims().length == 2
                && !t.name().startsWith("token_embd")).mapToLong(t -> t.byteSize()).sum();
        assertThat(q4Matrices).isPositive();
        assertThat(avx2 - generic).as("a second copy of every Q4_0 matrix").isEqualTo(q4Matrices);
        assertThat(GgufMemory.estimate(gguf, p.withCpuRepack(false)).cpuWeights()).isEqualTo(generic);
    }

    @Test
    void slidingWindowLayersAndQuantizedCachesShrinkTheKvCache() throws Exception {
        Path file = dir.resolve("m.gguf");
        SHAPES[1].write(file);
        GgufFile plain = GgufFile.read(file);
        MemoryEstimate f16 = GgufMemory.estimate(plain, EstimateParams.cpu(8192));
        MemoryEstimate q8 = GgufMemory.estimate(plain, EstimateParams.cpu(8192).withKvCacheType(KvCacheType.Q8_0));
        MemoryEstimate q4 = GgufMemory.estimate(plain, EstimateParams.cpu(8192).withKvCacheType(KvCacheType.Q4_0));
        // 4 layers x 8192 cells x (2 KV heads x (32 + 32)) x 2 bytes
        assertThat(f16.cpuKv()).isEqualTo(4L * 8192 * 128 * 2);
        assertThat(q8.cpuKv()).isEqualTo(f16.cpuKv() * 34 / 64);
        assertThat(q4.cpuKv()).isEqualTo(f16.cpuKv() * 18 / 64);
        // the same model with a 1,024-token sliding window on 3 of every 4 layers (as cohere2 declares)
        var shape = GgufMemory.Shape.of(plain);
        var windowed = new GgufMemory.Shape(shape.layers(), shape.embd(), shape.vocab(), shape.kvHeads(),
                shape.keyLength(), shape.valueLength(), 1024, new boolean[] {true, true, true, false});
        long full = 8192L * windowed.kvWidth(3) * 2, slid = 1280L * windowed.kvWidth(0) * 2; // window + ubatch, padded
        assertThat(windowed.isSwa(0)).isTrue();
        assertThat(windowed.isSwa(3)).isFalse();
        assertThat(3 * slid + full).isLessThan(f16.cpuKv() / 2);
    }

    @Test
    void offloadedLayersAreCountedOnTheGpu() throws Exception {
        Path file = dir.resolve("g.gguf");
        SHAPES[2].write(file);
        GgufFile gguf = GgufFile.read(file);
        MemoryEstimate none = GgufMemory.estimate(gguf, EstimateParams.cpu(2048));
        MemoryEstimate half = GgufMemory.estimate(gguf, EstimateParams.cpu(2048).withGpuLayers(3));
        MemoryEstimate all = GgufMemory.estimate(gguf, EstimateParams.cpu(2048).withGpuLayers(7));
        assertThat(none.gpu()).isZero();
        assertThat(half.gpuKv()).isEqualTo(none.cpuKv() / 2);
        assertThat(half.gpuWeights()).isPositive().isLessThan(all.gpuWeights());
        assertThat(all.cpuKv()).isZero();
        // the embeddings stay in RAM (tied here, so they are also the output: llama.cpp keeps them where they are read)
        assertThat(all.cpuWeights()).isPositive();
    }
}
