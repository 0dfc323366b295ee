package dev.hearth.llama.gguf;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file's quantisation as people name it ("Q4_K_M", "Q8_0", "F16"): its {@code general.file_type} (llama.cpp's
 * {@code llama_ftype} at the pinned release), else the type that holds most of its weights' bytes. Read from the
 * header only; stateless.
 */
public final class Quantization {
    /** {@code llama_ftype} values by number (the pinned {@code llama.h}); gaps are types llama.cpp removed. */
    private static final String[] FILE_TYPES = {"F32", "F16", "Q4_0", "Q4_1", null, null, null, "Q8_0", "Q5_0",
            "Q5_1", "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS",
            "IQ2_XS", "Q2_K_S", "IQ3_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M", "IQ4_XS",
            "IQ1_M", "BF16", null, null, null, "TQ1_0", "TQ2_0", "MXFP4_MOE", "NVFP4", "Q1_0", "Q2_0"};

    private Quantization() {
    }

    /** The file's quantisation; empty when it has no tensors and no file type. */
    public static Optional<String> of(GgufFile f) {
        long type = f.integer("general.file_type").orElse(-1);
        if (type >= 0 && type < FILE_TYPES.length && FILE_TYPES[(int) type] != null) {
            return Optional.of(FILE_TYPES[(int) type]);
        }
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : f.tensors()) {
            if (t.dims().length >= 2) { // norms and biases stay F32 whatever the quantisation
                bytes.merge(t.type(), t.byteSize(), Long::sum);
            }
        }
        return bytes.entrySet().stream().max(Comparator.comparingLong(Map.Entry::getValue)).map(e -> e.getKey().name());
    }
}
