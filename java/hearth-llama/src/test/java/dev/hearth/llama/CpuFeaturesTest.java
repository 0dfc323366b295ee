package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.llama.gguf.GgmlType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which weights llama.cpp's CPU backend repacks, by the features of the variant it runs. */
class CpuFeaturesTest {
    private static CpuFeatures of(String... flags) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String f : flags) {
            String[] kv = f.split("=", 2);
            m.put(kv[0], kv.length == 2 ? kv[1] : "1");
        }
        return new CpuFeatures(m);
    }

    @Test
    void theLoadedBackendSaysWhatItWasBuiltFor() {
        CpuFeatures cpu = CpuFeatures.ofLoadedBackend();
        assertThat(cpu.flags()).as("ggml_backend_get_features of the CPU backend").isNotEmpty();
        // every x86-64 variant but the generic one is built for at least SSE3; the generic one reports its repack
        assertThat(cpu.has("SSE3") || cpu.has("NEON") || cpu.has("REPACK")).as(cpu.flags().toString()).isTrue();
    }

    @Test
    void aGenericX86BackendRepacksNothing() {
        CpuFeatures generic = of("REPACK", "LLAMAFILE");
        for (GgmlType t : GgmlType.values()) {
            assertThat(generic.repacks(t, 4096, 4096)).as(t.name()).isFalse();
        }
    }

    @Test
    void avx2RepacksTheFourBitTypesWhoseRowsComeInEights() {
        CpuFeatures haswell = of("SSE3", "AVX", "AVX2", "FMA", "F16C", "REPACK");
        assertThat(haswell.repacks(GgmlType.Q4_0, 4096, 4096)).isTrue();
        assertThat(haswell.repacks(GgmlType.Q4_0, 4096, 4092)).as("rows not a multiple of 8").isFalse();
        assertThat(haswell.repacks(GgmlType.Q4_K, 4096, 4096)).isTrue();
        assertThat(haswell.repacks(GgmlType.IQ4_NL, 4096, 4096)).isTrue();
        assertThat(haswell.repacks(GgmlType.MXFP4, 4096, 4096)).isTrue();
        assertThat(haswell.repacks(GgmlType.Q2_K, 4096, 4096)).as("needs AVX-512").isFalse();
        assertThat(haswell.repacks(GgmlType.Q8_0, 4096, 4096)).as("x86 keeps Q8_0 as it is").isFalse();
        assertThat(haswell.repacks(GgmlType.F16, 4096, 4096)).isFalse();
        assertThat(of("AVX2").repacks(GgmlType.Q4_0, 4096, 4096)).as("a build without REPACK").isFalse();
        assertThat(of("AVX2", "AVX512", "REPACK").repacks(GgmlType.Q2_K, 4096, 4096)).isTrue();
    }

    @Test
    void amxTakesItsTypesWhenTheShapeFitsItsTiles() {
        CpuFeatures sapphire = of("AVX2", "AVX512", "AVX512_VNNI", "AMX_INT8", "REPACK");
        assertThat(sapphire.repacks(GgmlType.Q8_0, 4096, 4096)).isTrue();
        assertThat(sapphire.repacks(GgmlType.Q6_K, 4096, 4096)).isTrue();
        assertThat(sapphire.repacks(GgmlType.Q6_K, 4096 + 32, 4096)).as("columns not whole K-blocks").isFalse();
        assertThat(sapphire.repacks(GgmlType.Q8_0, 4096, 4096 + 8)).as("rows not whole tiles").isFalse();
    }

    @Test
    void armRepacksWithDotProductOrInt8MatrixMultiply() {
        CpuFeatures graviton = of("NEON", "ARM_FMA", "DOTPROD", "MATMUL_INT8", "REPACK");
        assertThat(graviton.repacks(GgmlType.Q4_0, 4096, 4092)).isTrue();
        assertThat(graviton.repacks(GgmlType.Q8_0, 4096, 4096)).isTrue();
        assertThat(graviton.repacks(GgmlType.Q6_K, 4096, 4096)).isTrue();
        assertThat(of("NEON", "REPACK").repacks(GgmlType.Q4_0, 4096, 4096)).isFalse();
    }
}
