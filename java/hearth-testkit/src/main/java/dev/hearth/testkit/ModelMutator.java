package dev.hearth.testkit;

import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes damaged copies of a GGUF file, for testing that a loader survives them: truncations, flipped bytes in
 * the header and metadata, huge counts and string lengths, tensor offsets past the end or misaligned, unknown
 * tensor and value types, bad dimensions, and flipped bytes in the tensor data (which a loader should accept).
 * Deterministic for a given seed.
 */
public final class ModelMutator {
    /** One damaged copy: what was done to it, and its bytes. */
    public record Mutant(String description, byte[] bytes) {
        /** Writes the damaged copy to {@code path}, replacing a regular file there ({@link SafeFiles}). */
        public void writeTo(Path path) {
            try {
                SafeFiles.writeBytes(path, SafeFiles.Existing.REPLACE, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final byte[] original;
    private final GgufWriter.Positions positions;
    private final SplittableRandom random;

    public ModelMutator(Path file, GgufWriter.Positions positions, long seed) {
        try {
            this.original = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.positions = positions;
        this.random = new SplittableRandom(seed);
    }

    /** {@code perKind} mutants of each kind, in a fixed order. */
    public List<Mutant> mutants(int perKind) {
        List<Mutant> out = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            out.add(truncate());
            out.add(flipHeaderBytes());
            out.add(hugeCount());
            out.add(hugeStringLength());
            out.add(tensorOffset());
            out.add(unknownTensorType());
            out.add(badDimension());
            out.add(unknownValueType());
            out.add(flipDataBytes());
            out.add(rewriteInteger());
        }
        return out;
    }

    private Mutant truncate() {
        // half of the cuts fall inside the header and metadata, where parsing is most delicate
        long limit = random.nextBoolean() ? positions.dataOffset() : original.length;
        int at = (int) random.nextLong(limit);
        byte[] b = java.util.Arrays.copyOf(original, at);
        return new Mutant("truncated to " + at + " bytes", b);
    }

    private Mutant flipHeaderBytes() {
        byte[] b = original.clone();
        int flips = 1 + random.nextInt(4);
        StringBuilder what = new StringBuilder("flipped header bytes at");
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt((int) positions.dataOffset());
            b[at] ^= (byte) (1 + random.nextInt(255));
            what.append(' ').append(at);
        }
        return new Mutant(what.toString(), b);
    }

    private static final long[] HUGE = {-1L, Long.MAX_VALUE, 1L << 32, 1L << 40, 0xFFFFFFFFL, 1L << 62};

    private long huge() {
        return HUGE[random.nextInt(HUGE.length)] - random.nextInt(3);
    }

    private Mutant hugeCount() {
        boolean tensors = random.nextBoolean();
        long at = tensors ? positions.tensorCount() : positions.kvCount();
        long value = random.nextBoolean() ? huge() : readLong(at) + 1 + random.nextInt(1000);
        return new Mutant((tensors ? "tensor" : "metadata") + " count set to " + value, withLong(at, value));
    }

    private Mutant hugeStringLength() {
        List<Long> keys = positions.keyLengths();
        boolean tensorName = random.nextBoolean();
        long at = tensorName ? pickTensor().nameLength() : keys.get(random.nextInt(keys.size()));
        long value = random.nextBoolean() ? huge() : readLong(at) + 1 + random.nextInt(64);
        return new Mutant("string length at " + at + " set to " + value, withLong(at, value));
    }

    private Mutant tensorOffset() {
        GgufWriter.TensorFields t = pickTensor();
        long value = switch (random.nextInt(4)) {
            case 0 -> original.length - positions.dataOffset();
            case 1 -> huge();
            case 2 -> readLong(t.offset()) + 1 + random.nextInt(31); // misaligned
            default -> readLong(t.offset()) + 32L * (1 + random.nextInt(1 << 20));
        };
        return new Mutant("offset of " + t.name() + " set to " + value, withLong(t.offset(), value));
    }

    private static final int[] ODD_TYPES = {4, 5, 31, 32, 33, 36, 37, 38, 43, 44, 100, 255, 1 << 16, -1};

    private Mutant unknownTensorType() {
        GgufWriter.TensorFields t = pickTensor();
        int value = random.nextInt(3) == 0 ? random.nextInt(43) : ODD_TYPES[random.nextInt(ODD_TYPES.length)];
        return new Mutant("type of " + t.name() + " set to " + value, withInt(t.type(), value));
    }

    private Mutant badDimension() {
        GgufWriter.TensorFields t = pickTensor();
        long value = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> huge();
            case 2 -> readLong(t.firstDim()) + 1;
            default -> readLong(t.firstDim()) * 2;
        };
        if (random.nextBoolean()) {
            int dims = random.nextBoolean() ? 0 : 5 + random.nextInt(100);
            return new Mutant("dimension count of " + t.name() + " set to " + dims, withInt(t.dimCount(), dims));
        }
        return new Mutant("first dimension of " + t.name() + " set to " + value, withLong(t.firstDim(), value));
    }

    private Mutant unknownValueType() {
        List<Long> keys = positions.keyLengths();
        long keyAt = keys.get(random.nextInt(keys.size()));
        long typeAt = keyAt + 8 + readLong(keyAt);
        int value = random.nextBoolean() ? 13 + random.nextInt(300) : random.nextInt(13);
        return new Mutant("value type at " + typeAt + " set to " + value, withInt(typeAt, value));
    }

    private Mutant flipDataBytes() {
        byte[] b = original.clone();
        for (int i = 0; i < 64; i++) {
            int at = (int) (positions.dataOffset() + random.nextLong(original.length - positions.dataOffset()));
            b[at] ^= (byte) (1 + random.nextInt(255));
        }
        return new Mutant("64 flipped bytes in the tensor data", b);
    }

    // Overwrites a small integer metadata value (a hyper-parameter, a token id) with another small number.
    private Mutant rewriteInteger() {
        List<Long> keys = positions.keyLengths();
        for (int attempt = 0; attempt < 50; attempt++) {
            long keyAt = keys.get(random.nextInt(keys.size()));
            long typeAt = keyAt + 8 + readLong(keyAt);
            if (readInt(typeAt) == 4) { // uint32
                int value = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(5000);
                return new Mutant("uint32 at " + (typeAt + 4) + " set to " + Integer.toUnsignedString(value),
                        withInt(typeAt + 4, value));
            }
        }
        return flipHeaderBytes();
    }

    private GgufWriter.TensorFields pickTensor() {
        return positions.tensors().get(random.nextInt(positions.tensors().size()));
    }

    private long readLong(long at) {
        return ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong((int) at);
    }

    private int readInt(long at) {
        return ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getInt((int) at);
    }

    private byte[] withLong(long at, long value) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) at, value);
        return b;
    }

    private byte[] withInt(long at, int value) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, value);
        return b;
    }
}
