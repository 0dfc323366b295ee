package dev.hearth.llama.gguf;

import java.util.Arrays;

/**
 * One tensor of a GGUF file: name, dimensions (ne[0] first, as ggml counts them), type, offset relative to the
 * start of the data section, and its size in bytes.
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset, long byteSize) {
    public TensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    public long elements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type
                && offset == t.offset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims) + " " + type + " @" + offset;
    }
}
