package dev.hearth.llama.gguf;

import java.util.Optional;

/** The metadata value types of GGUF, with the size of the fixed-size ones (0 for string and array). */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(0), ARRAY(0),
    UINT64(8), INT64(8), FLOAT64(8);

    private final int size;

    GgufValueType(int size) {
        this.size = size;
    }

    /** Bytes of one value, or 0 for the variable-size types. */
    public int size() {
        return size;
    }

    public static Optional<GgufValueType> byId(long id) {
        return id >= 0 && id < values().length ? Optional.of(values()[(int) id]) : Optional.empty();
    }
}
