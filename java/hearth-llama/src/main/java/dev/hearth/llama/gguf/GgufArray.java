package dev.hearth.llama.gguf;

import java.util.List;

/**
 * A metadata array. Integers of every width are held as {@code long[]}, floats as {@code double[]}, booleans
 * as {@code boolean[]} and strings as a {@code List<String>}; {@link #elementType()} keeps the declared type.
 */
public record GgufArray(GgufValueType elementType, Object values, int length) {
    public long[] longs() {
        return values instanceof long[] l ? l.clone() : new long[0];
    }

    public double[] doubles() {
        return values instanceof double[] d ? d.clone() : new double[0];
    }

    @SuppressWarnings("unchecked")
    public List<String> strings() {
        return values instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** Element {@code i} of an integer array, without copying. */
    public long longAt(int i) {
        return ((long[]) values)[i];
    }
}
