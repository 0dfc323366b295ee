package dev.hearth.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Weights whose every value is a hash of (tensor seed, row, column), written in any {@link WeightType}: the same
 * model at two quantisations then holds the same weights, rounded differently (a draft model that agrees with its
 * target). Used by {@link SyntheticModel#writeSuccessor}. Stateless; thread-safe.
 */
final class HashedWeights {
    private HashedWeights() {
    }

    /** A value source: the weight at (row, column), before encoding. */
    @FunctionalInterface
    interface Values {
        float at(long row, int column);
    }

    /** Uniform values in (-amplitude, amplitude), a hash of (seed, row, column). */
    static Values uniform(long seed, float amplitude) {
        return (row, column) -> amplitude * (float) (unit(seed, row * 0x100000L + column) * 2 - 1);
    }

    /** Fills the part of a tensor of rows of {@code rowLength} values that starts at byte {@code offset}. */
    static void fill(ByteBuffer buf, long offset, WeightType type, int rowLength, Values values) {
        ByteBuffer out = buf.order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (long e = offset / 4; out.hasRemaining(); e++) {
                    out.putFloat(values.at(e / rowLength, (int) (e % rowLength)));
                }
            }
            case F16 -> {
                for (long e = offset / 2; out.hasRemaining(); e++) {
                    out.putShort(Float.floatToFloat16(values.at(e / rowLength, (int) (e % rowLength))));
                }
            }
            case Q8_0, Q4_0 -> {
                int perRow = rowLength / 32;
                float[] block = new float[32];
                for (long b = offset / type.blockBytes(); out.hasRemaining(); b++) {
                    long row = b / perRow;
                    int first = (int) (b % perRow) * 32;
                    for (int i = 0; i < 32; i++) {
                        block[i] = values.at(row, first + i);
                    }
                    if (type == WeightType.Q8_0) {
                        q8(out, block);
                    } else {
                        q4(out, block);
                    }
                }
            }
        }
    }

    // ggml's quantize_row_q8_0_ref
    private static void q8(ByteBuffer out, float[] x) {
        float amax = 0;
        for (float v : x) {
            amax = Math.max(amax, Math.abs(v));
        }
        float d = amax / 127f;
        float id = d == 0 ? 0 : 1 / d;
        out.putShort(Float.floatToFloat16(d));
        for (float v : x) {
            out.put((byte) Math.round(v * id));
        }
    }

    // ggml's quantize_row_q4_0_ref: the value of largest magnitude maps to -8
    private static void q4(ByteBuffer out, float[] x) {
        float amax = 0, max = 0;
        for (float v : x) {
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d == 0 ? 0 : 1 / d;
        out.putShort(Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[j + 16] * id + 8.5f));
            out.put((byte) (lo | (hi << 4)));
        }
    }

    // SplitMix64 of (seed, index), as a double in [0, 1)
    private static double unit(long seed, long index) {
        long z = seed + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
