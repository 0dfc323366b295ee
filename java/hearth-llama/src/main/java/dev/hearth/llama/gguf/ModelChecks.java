package dev.hearth.llama.gguf;

import dev.hearth.api.InvalidModelException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the metadata that llama.cpp trusts without checking, where a bad value would end in an assertion
 * (and an aborted JVM) rather than an error: hyper-parameters that must divide each other, special token ids,
 * byte tokens that must parse, and the byte-fallback tokens that SentencePiece tokenization looks up.
 */
final class ModelChecks {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
    private static final int TOKEN_TYPE_BYTE = 6;
    private static final long MAX_LAYERS = 512; // LLAMA_MAX_LAYERS
    private static final long MAX_EXPERTS = 1024; // LLAMA_MAX_EXPERTS
    private static final Set<String> ROPE_SCALING = Set.of("none", "linear", "yarn", "longrope");
    private static final long MAX_WIDTH = 1L << 20;
    private static final long MAX_CONTEXT = 1L << 28;

    private ModelChecks() {
    }

    static void check(GgufFile file) {
        Object arch = file.metadata().get("general.architecture");
        if (!(arch instanceof String a) || a.isBlank()) {
            throw invalid(file, "general.architecture", "general.architecture is missing or not a string");
        }
        checkHyperParameters(file, a);
        checkTensorTypes(file);
        checkVocabulary(file);
    }

    private static final Set<GgmlType> NOT_WEIGHTS = Set.of(GgmlType.I8, GgmlType.I16, GgmlType.I32, GgmlType.I64,
            GgmlType.F64);
    private static final Set<GgmlType> VECTOR_TYPES = Set.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);

    // llama.cpp takes tensor types on trust and ggml asserts when an operation meets a type it has no kernel for:
    // weights are float or quantized, and vectors (norms, biases) stay in a float type, as every quantizer leaves them.
    private static void checkTensorTypes(GgufFile file) {
        for (TensorInfo t : file.tensors()) {
            boolean weight = t.name().endsWith(".weight") || t.name().endsWith(".bias");
            if (!weight) {
                continue;
            }
            if (NOT_WEIGHTS.contains(t.type())) {
                throw new InvalidModelException(file.path(), -1, "tensor \"" + t.name() + "\" has type " + t.type()
                        + ", which is not a type for model weights");
            }
            if (t.dims().length == 1 && !VECTOR_TYPES.contains(t.type())) {
                throw new InvalidModelException(file.path(), -1, "the vector \"" + t.name() + "\" has type " + t.type()
                        + "; norms and biases must be F32, F16 or BF16");
            }
        }
    }

    private static InvalidModelException invalid(GgufFile file, String key, String problem) {
        return new InvalidModelException(file.path(), file.offsetOf(key), problem);
    }

    private static OptionalLong positive(GgufFile file, String key, long max) {
        return range(file, key, 1, max);
    }

    /** The value of an integer key (or the largest of an integer array) within min..max; empty when absent. */
    private static OptionalLong range(GgufFile file, String key, long min, long max) {
        Object value = file.metadata().get(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof GgufArray array) {
            if (array.values() instanceof long[] values) {
                long largest = 0;
                for (long v : values) {
                    if (v < 0 || v > max) {
                        throw invalid(file, key, key + " holds " + v + ", outside 0.." + max);
                    }
                    largest = Math.max(largest, v);
                }
                return OptionalLong.empty(); // per-layer values: checked for range only
            }
            throw invalid(file, key, key + " must hold integers");
        }
        if (!(value instanceof Long v)) {
            throw invalid(file, key, key + " must be an integer, not " + value);
        }
        if (v < min || v > max) {
            throw invalid(file, key, key + " is " + v + ", outside " + min + ".." + max);
        }
        return OptionalLong.of(v);
    }

    private static void checkHyperParameters(GgufFile file, String arch) {
        OptionalLong layers = positive(file, arch + ".block_count", MAX_LAYERS);
        OptionalLong embd = positive(file, arch + ".embedding_length", MAX_WIDTH);
        positive(file, arch + ".feed_forward_length", MAX_WIDTH * 8);
        positive(file, arch + ".context_length", MAX_CONTEXT);
        OptionalLong heads = positive(file, arch + ".attention.head_count", 1 << 14);
        OptionalLong kvHeads = positive(file, arch + ".attention.head_count_kv", 1 << 14);
        OptionalLong keyLength = positive(file, arch + ".attention.key_length", MAX_WIDTH);
        positive(file, arch + ".attention.value_length", MAX_WIDTH);
        OptionalLong ropeDims = positive(file, arch + ".rope.dimension_count", MAX_WIDTH);
        checkPerLayerLength(file, arch + ".attention.head_count", layers);
        checkPerLayerLength(file, arch + ".attention.head_count_kv", layers);
        checkPerLayerLength(file, arch + ".feed_forward_length", layers);

        if (heads.isPresent() && embd.isPresent() && keyLength.isEmpty()
                && embd.getAsLong() % heads.getAsLong() != 0) {
            throw invalid(file, arch + ".attention.head_count", "the embedding length " + embd.getAsLong()
                    + " is not a multiple of the head count " + heads.getAsLong());
        }
        if (heads.isPresent() && kvHeads.isPresent() && heads.getAsLong() % kvHeads.getAsLong() != 0) {
            throw invalid(file, arch + ".attention.head_count_kv", "the head count " + heads.getAsLong()
                    + " is not a multiple of the KV head count " + kvHeads.getAsLong());
        }
        if (ropeDims.isPresent() && heads.isPresent() && embd.isPresent()) {
            long headDim = keyLength.orElse(embd.getAsLong() / heads.getAsLong());
            if (ropeDims.getAsLong() > headDim) {
                throw invalid(file, arch + ".rope.dimension_count", "the RoPE dimension count "
                        + ropeDims.getAsLong() + " exceeds the head size " + headDim);
            }
        }
        checkLayerCounts(file, arch, layers);
        checkExperts(file, arch);
        Object scaling = file.metadata().get(arch + ".rope.scaling.type");
        if (scaling != null && !ROPE_SCALING.contains(scaling)) {
            throw invalid(file, arch + ".rope.scaling.type", "the RoPE scaling type is " + scaling
                    + "; llama.cpp knows " + ROPE_SCALING);
        }
        Object eps = file.metadata().get(arch + ".attention.layer_norm_rms_epsilon");
        if (eps != null && !(eps instanceof Double d && d > 0 && d < 1)) {
            throw invalid(file, arch + ".attention.layer_norm_rms_epsilon",
                    "the RMS norm epsilon is " + eps + "; it must be a float between 0 and 1");
        }
    }

    // llama.cpp asserts that these sub-counts do not exceed the block count.
    private static void checkLayerCounts(GgufFile file, String arch, OptionalLong layers) {
        long max = layers.orElse(MAX_LAYERS);
        for (String key : List.of(arch + ".nextn_predict_layers", arch + ".posnet.block_count",
                arch + ".convnext.block_count")) {
            range(file, key, 0, max);
        }
    }

    // llama.cpp asserts the relations between the expert counts.
    private static void checkExperts(GgufFile file, String arch) {
        long experts = range(file, arch + ".expert_count", 0, MAX_EXPERTS).orElse(0);
        long used = maxOf(file, arch + ".expert_used_count");
        long groups = range(file, arch + ".expert_group_count", 0, MAX_EXPERTS).orElse(0);
        long groupsUsed = range(file, arch + ".expert_group_used_count", 0, MAX_EXPERTS).orElse(0);
        String key = arch + ".expert_used_count";
        if (used > experts) {
            throw invalid(file, key, "the model uses " + used + " experts per token but has " + experts);
        }
        if (experts > 0 && used == 0) {
            throw invalid(file, key, "the model has " + experts + " experts but uses none per token");
        }
        if (experts == 0 && groups > 0) {
            throw invalid(file, arch + ".expert_group_count", "expert groups are set without experts");
        }
        if (groups > 0 && (groups >= experts || experts % groups != 0 || groupsUsed == 0 || groupsUsed >= groups)) {
            throw invalid(file, arch + ".expert_group_count", "the expert groups (" + groups + ", " + groupsUsed
                    + " used) do not divide the " + experts + " experts");
        }
    }

    private static long maxOf(GgufFile file, String key) {
        Object value = file.metadata().get(key);
        if (value instanceof GgufArray a && a.values() instanceof long[] values) {
            long max = 0;
            for (long v : values) {
                if (v < 0 || v > MAX_EXPERTS) {
                    throw invalid(file, key, key + " holds " + v);
                }
                max = Math.max(max, v);
            }
            return max;
        }
        return range(file, key, 0, MAX_EXPERTS).orElse(0);
    }

    private static void checkPerLayerLength(GgufFile file, String key, OptionalLong layers) {
        if (file.metadata().get(key) instanceof GgufArray array && layers.isPresent()
                && array.length() != layers.getAsLong()) {
            throw invalid(file, key, key + " has " + array.length() + " entries for "
                    + layers.getAsLong() + " layers");
        }
    }

    private static void checkVocabulary(GgufFile file) {
        Object rawTokens = file.metadata().get("tokenizer.ggml.tokens");
        if (rawTokens == null) {
            return; // a model without a vocabulary: llama.cpp refuses or handles it itself
        }
        if (!(rawTokens instanceof GgufArray tokenArray) || tokenArray.elementType() != GgufValueType.STRING
                || tokenArray.length() == 0) {
            throw invalid(file, "tokenizer.ggml.tokens", "tokenizer.ggml.tokens must be a non-empty array of strings");
        }
        List<String> tokens = tokenArray.strings();
        int n = tokens.size();
        Set<String> distinct = new HashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (!distinct.add(tokens.get(i))) { // llama.cpp asserts that token texts are unique
                throw invalid(file, "tokenizer.ggml.tokens", "token " + i + " (\"" + tokens.get(i)
                        + "\") appears twice in the vocabulary");
            }
        }
        Object scores = file.metadata().get("tokenizer.ggml.scores");
        if (scores != null && !(scores instanceof GgufArray s && s.values() instanceof double[] && s.length() == n)) {
            throw invalid(file, "tokenizer.ggml.scores", "tokenizer.ggml.scores must be " + n + " floats");
        }
        Object types = file.metadata().get("tokenizer.ggml.token_type");
        if (types != null) {
            if (!(types instanceof GgufArray t && t.values() instanceof long[] values && t.length() == n)) {
                throw invalid(file, "tokenizer.ggml.token_type", "tokenizer.ggml.token_type must be " + n + " integers");
            }
            for (int i = 0; i < n; i++) {
                long type = values[i];
                if (type < 0 || type > TOKEN_TYPE_BYTE) {
                    throw invalid(file, "tokenizer.ggml.token_type", "token " + i + " has type " + type + " (0..6 are valid)");
                }
                if (type == TOKEN_TYPE_BYTE && !BYTE_TOKEN.matcher(tokens.get(i)).matches()) {
                    throw invalid(file, "tokenizer.ggml.token_type", "token " + i + " is marked as a byte token"
                            + " but reads \"" + tokens.get(i) + "\" instead of <0xHH>");
                }
            }
        }
        for (Map.Entry<String, Object> e : file.metadata().entrySet()) {
            String key = e.getKey();
            if (key.startsWith("tokenizer.ggml.") && key.endsWith("_token_id")) {
                if (!(e.getValue() instanceof Long id) || id < 0 || id >= n) {
                    throw invalid(file, key, key + " is " + e.getValue() + ", not a token id below " + n);
                }
            }
        }
        if ("llama".equals(file.string("tokenizer.ggml.model").orElse(""))) {
            checkByteFallback(file, tokens);
        }
    }

    // SentencePiece tokenization falls back to <0xHH> tokens and llama.cpp looks them up unchecked.
    private static void checkByteFallback(GgufFile file, List<String> tokens) {
        Set<String> present = new HashSet<>(tokens);
        for (int b = 0; b < 256; b++) {
            String hex = String.format("<0x%02X>", b);
            String raw = b < 0x80 ? String.valueOf((char) b) : null;
            if (!present.contains(hex) && (raw == null || !present.contains(raw))) {
                throw invalid(file, "tokenizer.ggml.tokens", "the SentencePiece vocabulary lacks the byte token "
                        + hex + ", which tokenization needs for text outside the vocabulary");
            }
        }
    }
}
