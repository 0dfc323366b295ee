package dev.hearth.testkit.onnx;

import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A one-layer, one-head decoder-only model with seeded random weights, written as ONNX in Optimum's layout (input_ids,
 * attention_mask, position_ids, past_key_values.0.key/value in; logits, present.0.key/value out), and the same model
 * computed in plain Java over the whole sequence without a KV cache, as the reference.
 */
public final class TinyDecoder {
    public static final int VOCAB = 16, D = 8, POSITIONS = 64;
    final float[] embed, positions, wq, wk, wv, wo;

    /** Weights from {@code seed}, as {@link dev.hearth.testkit.TestSeeds} varies it. */
    public TinyDecoder(long seed) {
        SplittableRandom r = new SplittableRandom(dev.hearth.testkit.TestSeeds.vary(seed));
        embed = random(r, VOCAB * D, 1.0f);
        positions = random(r, POSITIONS * D, 0.5f);
        wq = random(r, D * D, 0.6f);
        wk = random(r, D * D, 0.6f);
        wv = random(r, D * D, 0.6f);
        wo = random(r, D * VOCAB, 1.0f);
    }

    private static float[] random(SplittableRandom r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    public byte[] onnx() {
        OnnxWriter w = new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64, "batch", "seq")
                .input("attention_mask", OnnxWriter.INT64, "batch", "total")
                .input("position_ids", OnnxWriter.INT64, "batch", "seq")
                .input("past_key_values.0.key", OnnxWriter.FLOAT, "batch", 1, "past", D)
                .input("past_key_values.0.value", OnnxWriter.FLOAT, "batch", 1, "past", D)
                .output("logits", OnnxWriter.FLOAT, "batch", "seq", VOCAB)
                .output("present.0.key", OnnxWriter.FLOAT, "batch", 1, "total", D)
                .output("present.0.value", OnnxWriter.FLOAT, "batch", 1, "total", D)
                .floats("E", embed, VOCAB, D).floats("P", positions, POSITIONS, D)
                .floats("Wq", wq, D, D).floats("Wk", wk, D, D).floats("Wv", wv, D, D).floats("Wo", wo, D, VOCAB)
                .floats("scale", new float[] {(float) (1 / Math.sqrt(D))})
                .floats("neg", new float[] {-1e9f})
                .longs("axis1", new long[] {1}, 1).longs("axis2", new long[] {2}, 1)
                .longs("two", new long[] {2}).longs("zero", new long[] {0}).longs("one", new long[] {1});
        w.node("Gather", List.of("E", "input_ids"), List.of("tok"))
                .node("Gather", List.of("P", "position_ids"), List.of("pos"))
                .node("Add", List.of("tok", "pos"), List.of("x"))
                .node("MatMul", List.of("x", "Wq"), List.of("q"))
                .node("MatMul", List.of("x", "Wk"), List.of("k"))
                .node("MatMul", List.of("x", "Wv"), List.of("v"))
                .node("Unsqueeze", List.of("q", "axis1"), List.of("q4"))
                .node("Unsqueeze", List.of("k", "axis1"), List.of("k4"))
                .node("Unsqueeze", List.of("v", "axis1"), List.of("v4"))
                .node("Concat", List.of("past_key_values.0.key", "k4"), List.of("present.0.key"), "axis", 2L)
                .node("Concat", List.of("past_key_values.0.value", "v4"), List.of("present.0.value"), "axis", 2L)
                .node("Transpose", List.of("present.0.key"), List.of("kT"), "perm", new long[] {0, 1, 3, 2})
                .node("MatMul", List.of("q4", "kT"), List.of("scores"))
                .node("Mul", List.of("scores", "scale"), List.of("scaled"))
                .node("Shape", List.of("present.0.key"), List.of("shape"))
                .node("Gather", List.of("shape", "two"), List.of("total"))
                .node("Range", List.of("zero", "total", "one"), List.of("kpos"))
                .node("Unsqueeze", List.of("position_ids", "axis2"), List.of("qpos"))
                .node("LessOrEqual", List.of("kpos", "qpos"), List.of("allowed"))
                .node("Unsqueeze", List.of("allowed", "axis1"), List.of("allowed4"))
                .node("Where", List.of("allowed4", "scaled", "neg"), List.of("masked"))
                .node("Softmax", List.of("masked"), List.of("probs"), "axis", -1L)
                .node("MatMul", List.of("probs", "present.0.value"), List.of("att4"))
                .node("Squeeze", List.of("att4", "axis1"), List.of("att"))
                .node("Add", List.of("x", "att"), List.of("h"))
                .node("MatMul", List.of("h", "Wo"), List.of("logits"));
        return w.model(17);
    }

    /** Logits of the last position for a whole sequence, computed from scratch (no cache). */
    public float[] lastLogits(long[] tokens) {
        int n = tokens.length;
        float[][] x = new float[n][D], q = new float[n][D], k = new float[n][D], v = new float[n][D];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < D; d++) {
                x[i][d] = embed[(int) tokens[i] * D + d] + positions[i * D + d];
            }
            q[i] = mul(x[i], wq, D);
            k[i] = mul(x[i], wk, D);
            v[i] = mul(x[i], wv, D);
        }
        int i = n - 1;
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
            double dot = 0;
            for (int d = 0; d < D; d++) {
                dot += q[i][d] * k[j][d];
            }
            s[j] = dot / Math.sqrt(D);
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
        }
        float[] h = x[i].clone();
        for (int j = 0; j <= i; j++) {
            for (int d = 0; d < D; d++) {
                h[d] += (float) (s[j] / sum * v[j][d]);
            }
        }
        return mul(h, wo, VOCAB);
    }

    private static float[] mul(float[] row, float[] m, int cols) {
        float[] out = new float[cols];
        for (int c = 0; c < cols; c++) {
            float acc = 0;
            for (int r = 0; r < row.length; r++) {
                acc += row[r] * m[r * cols + c];
            }
            out[c] = acc;
        }
        return out;
    }

    /**
     * A model directory as Optimum exports it, for chat: {@code model.onnx} (this model) and a word-level
     * {@code tokenizer.json} of 14 words ("w0" to "w13") with ChatML's two markers as special tokens 14 and 15. Returns
     * {@code dir}.
     */
    public Path writeChatModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        SafeFiles.writeBytes(dir.resolve("model.onnx"), SafeFiles.Existing.REPLACE, onnx());
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            vocab.append("\"w").append(i).append("\": ").append(i).append(", ");
        }
        SafeFiles.writeString(dir.resolve("tokenizer.json"), SafeFiles.Existing.REPLACE, """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                   {"id": 14, "content": "<|im_start|>", "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": false, "special": true},
                   {"id": 15, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": false, "special": true}],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s"<|im_start|>": 14, "<|im_end|>": 15}, "unk_token": "w0"}}"""
                .formatted(vocab));
        return dir;
    }
}
