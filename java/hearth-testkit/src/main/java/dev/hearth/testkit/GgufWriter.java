package dev.hearth.testkit;

import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a GGUF v3 file: metadata of the common value types, tensor infos, and tensor data produced by a
 * {@link TensorData} callback in chunks (so half-gigabyte models never sit in memory). The file is written to
 * a temporary file and renamed into place ({@link SafeFiles}). {@link #write} returns where each field landed, for
 * tests that corrupt specific fields.
 */
public final class GgufWriter {
    private static final int ALIGNMENT = 32;
    private static final int TYPE_UINT8 = 0, TYPE_INT8 = 1, TYPE_UINT16 = 2, TYPE_INT16 = 3, TYPE_UINT32 = 4,
            TYPE_INT32 = 5, TYPE_FLOAT32 = 6, TYPE_BOOL = 7, TYPE_STRING = 8, TYPE_ARRAY = 9, TYPE_UINT64 = 10,
            TYPE_INT64 = 11, TYPE_FLOAT64 = 12;

    /** Fills tensor data: called with consecutive buffers until the tensor's bytes are written. */
    @FunctionalInterface
    public interface TensorData {
        /** Writes exactly {@code buffer.remaining()} bytes, the part of the tensor starting at {@code offset}. */
        void fill(ByteBuffer buffer, long offset);
    }

    private record Kv(String key, int type, Object value) {
    }

    private record Tensor(String name, long[] dims, WeightType type, TensorData data) {
        long bytes() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return type.bytesFor(n);
        }
    }

    /** Byte offsets of the fields of one tensor info. */
    public record TensorFields(String name, long nameLength, long dimCount, long firstDim, long type, long offset) {
    }

    /** Where the header fields, metadata keys and tensor infos of a written file are. */
    public record Positions(long tensorCount, long kvCount, List<Long> keyLengths, List<TensorFields> tensors,
            long dataOffset) {
    }

    private final List<Kv> kvs = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter putString(String key, String value) {
        kvs.add(new Kv(key, TYPE_STRING, value));
        return this;
    }

    public GgufWriter putUInt32(String key, long value) {
        kvs.add(new Kv(key, TYPE_UINT32, value));
        return this;
    }

    /** Any fixed-size integer type: {@code bytes} is 1, 2, 4 or 8; {@code signed} picks INTn over UINTn. */
    public GgufWriter putInteger(String key, long value, int bytes, boolean signed) {
        int type = switch (bytes) {
            case 1 -> signed ? TYPE_INT8 : TYPE_UINT8;
            case 2 -> signed ? TYPE_INT16 : TYPE_UINT16;
            case 4 -> signed ? TYPE_INT32 : TYPE_UINT32;
            case 8 -> signed ? TYPE_INT64 : TYPE_UINT64;
            default -> throw new IllegalArgumentException("integers are 1, 2, 4 or 8 bytes, not " + bytes);
        };
        kvs.add(new Kv(key, type, value));
        return this;
    }

    public GgufWriter putFloat64(String key, double value) {
        kvs.add(new Kv(key, TYPE_FLOAT64, value));
        return this;
    }

    public GgufWriter putFloat32(String key, float value) {
        kvs.add(new Kv(key, TYPE_FLOAT32, value));
        return this;
    }

    public GgufWriter putBool(String key, boolean value) {
        kvs.add(new Kv(key, TYPE_BOOL, value));
        return this;
    }

    public GgufWriter putStrings(String key, List<String> values) {
        kvs.add(new Kv(key, TYPE_ARRAY, values));
        return this;
    }

    public GgufWriter putFloats(String key, float[] values) {
        kvs.add(new Kv(key, TYPE_ARRAY, values.clone()));
        return this;
    }

    public GgufWriter putInts(String key, int[] values) {
        kvs.add(new Kv(key, TYPE_ARRAY, values.clone()));
        return this;
    }

    /** Adds a tensor; {@code dims} are in ggml order (row length first). */
    public GgufWriter addTensor(String name, long[] dims, WeightType type, TensorData data) {
        tensors.add(new Tensor(name, dims.clone(), type, data));
        return this;
    }

    /**
     * Writes the file atomically and returns the field positions; an existing regular file at {@code target} is
     * replaced (tests rewrite their models), anything else there is refused. See {@link SafeFiles}.
     */
    public Positions write(Path target) {
        return write(target, SafeFiles.Existing.REPLACE);
    }

    /**
     * Writes the file by {@link SafeFiles}' rule: a temporary file created exclusively beside the target, renamed into
     * place, deleted on failure; an existing target is replaced only with {@link SafeFiles.Existing#REPLACE} and only
     * when it is a regular file.
     *
     * @throws UncheckedIOException naming the target, when it is refused or cannot be written
     */
    public Positions write(Path target, SafeFiles.Existing existing) {
        try {
            return SafeFiles.write(target, existing, this::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + SafeFiles.describe(e), e);
        }
    }

    private Positions writeTo(FileChannel ch) throws IOException {
        Header h = new Header();
        h.u32(0x46554747).u32(3);
        long tensorCountAt = h.position();
        h.u64(tensors.size());
        long kvCountAt = h.position();
        h.u64(kvs.size());
        List<Long> keyLengths = new ArrayList<>();
        for (Kv kv : kvs) {
            keyLengths.add(h.position());
            h.string(kv.key()).u32(kv.type());
            writeValue(h, kv);
        }
        List<TensorFields> fields = new ArrayList<>();
        long offset = 0;
        for (Tensor t : tensors) {
            long nameAt = h.position();
            h.string(t.name());
            long dimCountAt = h.position();
            h.u32(t.dims().length);
            long firstDimAt = h.position();
            for (long d : t.dims()) {
                h.u64(d);
            }
            long typeAt = h.position();
            h.u32(t.type().ggmlId());
            long offsetAt = h.position();
            h.u64(offset);
            fields.add(new TensorFields(t.name(), nameAt, dimCountAt, firstDimAt, typeAt, offsetAt));
            offset = align(offset + t.bytes());
        }
        long dataOffset = align(h.position());
        h.padTo(dataOffset);
        ch.write(h.bytes(), 0);

        ByteBuffer chunk = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        long tensorStart = 0;
        for (Tensor t : tensors) {
            long bytes = t.bytes();
            int whole = chunk.capacity() / t.type().blockBytes() * t.type().blockBytes(); // fill whole blocks
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(whole, bytes - done);
                chunk.clear().limit(n);
                t.data().fill(chunk.slice().order(ByteOrder.LITTLE_ENDIAN), done);
                chunk.position(0).limit(n);
                long at = dataOffset + tensorStart + done;
                while (chunk.hasRemaining()) {
                    at += ch.write(chunk, at);
                }
                done += n;
            }
            long padded = align(tensorStart + bytes);
            if (padded > tensorStart + bytes) {
                ch.write(ByteBuffer.allocate((int) (padded - tensorStart - bytes)), dataOffset + tensorStart + bytes);
            }
            tensorStart = padded;
        }
        return new Positions(tensorCountAt, kvCountAt, keyLengths, fields, dataOffset);
    }

    private static void writeValue(Header h, Kv kv) {
        switch (kv.type()) {
            case TYPE_STRING -> h.string((String) kv.value());
            case TYPE_UINT8, TYPE_INT8 -> h.u8((int) (long) (Long) kv.value());
            case TYPE_UINT16, TYPE_INT16 -> h.u16((int) (long) (Long) kv.value());
            case TYPE_UINT32, TYPE_INT32 -> h.u32((Long) kv.value());
            case TYPE_UINT64, TYPE_INT64 -> h.u64((Long) kv.value());
            case TYPE_FLOAT64 -> h.f64((Double) kv.value());
            case TYPE_FLOAT32 -> h.f32((Float) kv.value());
            case TYPE_BOOL -> h.u8((Boolean) kv.value() ? 1 : 0);
            case TYPE_ARRAY -> writeArray(h, kv.value());
            default -> throw new IllegalStateException("type " + kv.type());
        }
    }

    private static void writeArray(Header h, Object value) {
        if (value instanceof List<?> strings) {
            h.u32(TYPE_STRING).u64(strings.size());
            strings.forEach(s -> h.string((String) s));
        } else if (value instanceof float[] floats) {
            h.u32(TYPE_FLOAT32).u64(floats.length);
            for (float f : floats) {
                h.f32(f);
            }
        } else if (value instanceof int[] ints) {
            h.u32(TYPE_INT32).u64(ints.length);
            for (int i : ints) {
                h.u32(i);
            }
        }
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growable little-endian buffer for the header and metadata. */
    private static final class Header {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        long position() {
            return buf.position();
        }

        Header u8(int v) {
            room(1);
            buf.put((byte) v);
            return this;
        }

        Header u16(int v) {
            room(2);
            buf.putShort((short) v);
            return this;
        }

        Header f64(double v) {
            room(8);
            buf.putDouble(v);
            return this;
        }

        Header u32(long v) {
            room(4);
            buf.putInt((int) v);
            return this;
        }

        Header u64(long v) {
            room(8);
            buf.putLong(v);
            return this;
        }

        Header f32(float v) {
            room(4);
            buf.putFloat(v);
            return this;
        }

        Header string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            room(b.length);
            buf.put(b);
            return this;
        }

        void padTo(long offset) {
            while (buf.position() < offset) {
                u8(0);
            }
        }

        ByteBuffer bytes() {
            return buf.duplicate().flip();
        }
    }
}
