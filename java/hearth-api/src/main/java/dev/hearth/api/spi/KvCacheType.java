package dev.hearth.api.spi;

/**
 * The element type of the KV cache. Quantized caches hold 1.9× (q8_0) or 3.6× (q4_0) more tokens in the same memory
 * at a small cost in quality; llama.cpp needs flash attention for a quantized V cache (on by default where the
 * backend has it).
 */
public enum KvCacheType {
    F16(1, 2, 1),
    Q8_0(8, 34, 32),
    Q4_0(2, 18, 32);

    private final int ggmlType;
    private final int blockBytes;
    private final int blockSize;

    KvCacheType(int ggmlType, int blockBytes, int blockSize) {
        this.ggmlType = ggmlType;
        this.blockBytes = blockBytes;
        this.blockSize = blockSize;
    }

    /** The name users write ({@code f16}, {@code q8_0}, {@code q4_0}): llama.cpp's {@code --cache-type-k} values. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The names users may write, in order. */
    public static java.util.List<String> wireNames() {
        return java.util.Arrays.stream(values()).map(KvCacheType::wireName).toList();
    }

    /**
     * The type a user named (any case); {@code setting} says where it was set, for the error.
     *
     * @throws IllegalArgumentException naming the choices, for anything else
     */
    public static KvCacheType parse(String text, String setting) {
        for (KvCacheType t : values()) {
            if (t.wireName().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException(setting + " must be " + String.join(", ", wireNames().subList(0, 2))
                + " or " + wireNames().get(2) + " (a quantized KV cache holds about 1.9x or 3.6x the tokens in the"
                + " same memory), not \"" + text + "\"");
    }

    /** llama.cpp's {@code ggml_type} id. */
    public int ggmlType() {
        return ggmlType;
    }

    /** Bytes that {@code elements} values take (a multiple of the block size). */
    public long bytes(long elements) {
        return (elements + blockSize - 1) / blockSize * blockBytes;
    }
}
