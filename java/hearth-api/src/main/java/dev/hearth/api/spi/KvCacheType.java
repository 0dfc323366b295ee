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

    /** llama.cpp's {@code ggml_type} id. */
    public int ggmlType() {
        return ggmlType;
    }

    /** Bytes that {@code elements} values take (a multiple of the block size). */
    public long bytes(long elements) {
        return (elements + blockSize - 1) / blockSize * blockBytes;
    }
}
