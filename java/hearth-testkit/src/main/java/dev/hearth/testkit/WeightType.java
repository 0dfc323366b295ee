package dev.hearth.testkit;

/** Tensor types the synthetic models can be written in, with their ggml type ids and block geometry. */
public enum WeightType {
    F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q8_0(8, 32, 34);

    private final int ggmlId;
    private final int blockSize;
    private final int blockBytes;

    WeightType(int ggmlId, int blockSize, int blockBytes) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int ggmlId() {
        return ggmlId;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes needed for {@code elements} values (a multiple of the block size). */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(elements + " elements is not a multiple of the " + this
                    + " block size " + blockSize);
        }
        return elements / blockSize * blockBytes;
    }
}
