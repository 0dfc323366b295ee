package dev.hearth.llama;

import dev.hearth.llama.gguf.GgmlType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The features of the ggml CPU backend in use, as it reports them ({@code ggml_backend_get_features}: the variant the
 * loader picked for this CPU, e.g. {@code AVX2}, {@code AVX512}, {@code AMX_INT8}, {@code REPACK}), and what follows
 * from them for memory: which weight matrices llama.cpp keeps a second, repacked copy of in an extra buffer type.
 *
 * @param flags feature name to value ("1" for a present flag; a number for counts such as {@code SVE_CNT})
 */
public record CpuFeatures(Map<String, String> flags) {
    /** Types the AMX buffer takes (ggml-cpu amx/common.h {@code qtype_has_amx_kernels}). */
    private static final Set<GgmlType> AMX = EnumSet.of(GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q8_0, GgmlType.Q4_K,
            GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_XS);

    public CpuFeatures {
        flags = Map.copyOf(flags);
    }

    /** The features of the CPU backend the loaded natives picked for this machine (loads the natives if needed). */
    public static CpuFeatures ofLoadedBackend() {
        return new CpuFeatures(dev.hearth.llama.ffi.NativeLibraries.cpuFeatures());
    }

    public boolean has(String flag) {
        String value = flags.get(flag);
        return value != null && !value.equals("0");
    }

    /**
     * Whether llama.cpp's CPU backend keeps a repacked copy of a weight matrix of this type and shape (when extra
     * buffers are on, its default): llama.cpp's rule for the pinned release (ggml-cpu repack.cpp
     * {@code ggml_repack_get_optimal_repack_type} and amx.cpp {@code supports_op}), for x86-64 and Arm.
     *
     * @param columns the matrix's first dimension (ne[0])
     * @param rows    its second dimension (ne[1])
     */
    public boolean repacks(GgmlType type, long columns, long rows) {
        if (has("AMX_INT8") && AMX.contains(type) && rows % 32 == 0
                && columns % (type.blockSize() == 256 ? 256 : 32) == 0) {
            return true;
        }
        if (!has("REPACK")) {
            return false;
        }
        boolean avx2 = has("AVX2"), dot = has("NEON") && has("DOTPROD"), i8mm = has("NEON") && has("MATMUL_INT8");
        boolean sve256 = has("SVE") && has("MATMUL_INT8") && "32".equals(flags.get("SVE_CNT"));
        return switch (type) {
            case Q4_0 -> ((avx2 || sve256) && rows % 8 == 0) || ((i8mm || dot) && rows % 4 == 0);
            case Q4_K -> (avx2 || i8mm || dot) && rows % 8 == 0;
            case Q2_K -> has("AVX512") && rows % 8 == 0;
            case Q5_K, Q6_K -> (i8mm || dot) && rows % 8 == 0;
            case IQ4_NL, MXFP4 -> (avx2 && rows % 8 == 0) || (dot && rows % 4 == 0);
            case Q8_0, Q1_0 -> (i8mm || dot) && rows % 4 == 0;
            default -> false;
        };
    }
}
