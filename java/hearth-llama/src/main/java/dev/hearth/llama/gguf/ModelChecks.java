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
    private static final long MAX_LAYERS = 4096;
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
        checkVocabulary(file);
    }

    private static InvalidModelException invalid(GgufFile file, String key, String problem) {
        return new InvalidModelException(file.path(), file.offsetOf(key), problem);
    }

    private static OptionalLong positive(GgufFile file, String key, long max) {
        Object value = file.metadata().get(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof GgufArray array) {
            if (array.values() instanceof long[] values) {
                for (long v : values) {
                    if (v < 0 || v > max) {
                        throw invalid(file, key, key + " holds " + v + ", outside 0.." + max);
                    }
                }
                return OptionalLong.empty(); // per-layer values: checked for range only
            }
            throw invalid(file, key, key + " must hold integers");
        }
        if (!(value instanceof Long v)) {
            throw invalid(file, key, key + " must be an integer, not " + value);
        }
        if (v < 1 || v > max) {
            throw invalid(file, key, key + " is " + v + ", outside 1.." + max);
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
        Object eps = file.metadata().get(arch + ".attention.layer_norm_rms_epsilon");
        if (eps != null && !(eps instanceof Double d && d > 0 && d < 1)) {
            throw invalid(file, arch + ".attention.layer_norm_rms_epsilon",
                    "the RMS norm epsilon is " + eps + "; it must be a float between 0 and 1");
        }
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
