package dev.hearth.onnx;

import dev.hearth.testkit.onnx.OnnxWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only ONNX model in Optimum's layout (the inputs and outputs {@link OnnxCausalLm} needs, with a KV cache it
 * carries but does not read) whose next token is a function of the last token only, written by the test: what it
 * generates is forced, the same for every seed, so that tests can make it write chat markers, end tokens and stop
 * sequences where they want them. Its tokenizer (see {@link #VOCAB}) is word-level, like the tiny decoder's.
 */
final class ScriptedDecoder {
    /** Ids 0 to 13 are the words "w0" to "w13"; then ChatML's markers, the think tags and DeepSeek's end marker. */
    static final List<String> VOCAB = List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10", "w11",
            "w12", "w13", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<｜end▁of▁sentence｜>");
    static final long IM_START = 14, IM_END = 15, THINK = 16, END_THINK = 17, R1_END = 18;
    private static final int V = VOCAB.size();

    private final Map<Long, Long> next = new HashMap<>();

    /**
     * A model that, after the token {@code chain[i]}, writes {@code chain[i + 1]}; after a token the chain does not
     * name, "w0". A chain may loop back to a token it named, with the same successor.
     */
    static ScriptedDecoder after(long... chain) {
        ScriptedDecoder d = new ScriptedDecoder();
        for (int i = 0; i + 1 < chain.length; i++) {
            Long before = d.next.put(chain[i], chain[i + 1]);
            if (before != null && before != chain[i + 1]) {
                throw new IllegalArgumentException("token " + chain[i] + " is followed by " + before + " and by "
                        + chain[i + 1] + ": the next token depends on the last one only");
            }
        }
        return d;
    }

    byte[] onnx() {
        float[] table = new float[V * V]; // row t: the logits after token t, 1 for its successor
        for (int t = 0; t < V; t++) {
            table[t * V + next.getOrDefault((long) t, 0L).intValue()] = 1;
        }
        return new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64, "batch", "seq")
                .input("attention_mask", OnnxWriter.INT64, "batch", "total")
                .input("position_ids", OnnxWriter.INT64, "batch", "seq")
                .input("past_key_values.0.key", OnnxWriter.FLOAT, "batch", 1, "past", 2)
                .input("past_key_values.0.value", OnnxWriter.FLOAT, "batch", 1, "past", 2)
                .output("logits", OnnxWriter.FLOAT, "batch", "seq", V)
                .output("present.0.key", OnnxWriter.FLOAT, "batch", 1, "total", 2)
                .output("present.0.value", OnnxWriter.FLOAT, "batch", 1, "total", 2)
                .floats("Next", table, V, V).floats("KV", new float[V * 2], V, 2).longs("axis1", new long[] {1}, 1)
                .node("Gather", List.of("Next", "input_ids"), List.of("logits"))
                .node("Gather", List.of("KV", "input_ids"), List.of("kv"))
                .node("Unsqueeze", List.of("kv", "axis1"), List.of("kv4"))
                .node("Concat", List.of("past_key_values.0.key", "kv4"), List.of("present.0.key"), "axis", 2L)
                .node("Concat", List.of("past_key_values.0.value", "kv4"), List.of("present.0.value"), "axis", 2L)
                .model(17);
    }

    /**
     * A model directory as Optimum exports it: {@code model.onnx} and a word-level {@code tokenizer.json} of
     * {@link #VOCAB}, where ChatML's markers and DeepSeek's end marker are special tokens and the think tags are added
     * tokens that are not special (as in the DeepSeek R1 distills). Returns {@code dir}.
     */
    Path writeChatModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), onnx());
        StringBuilder added = new StringBuilder(), vocab = new StringBuilder();
        for (int id = 0; id < V; id++) {
            String text = VOCAB.get(id);
            vocab.append(id == 0 ? "" : ", ").append('"').append(text).append("\": ").append(id);
            if (id >= IM_START) {
                boolean special = id != THINK && id != END_THINK;
                added.append(added.isEmpty() ? "" : ", ").append("""
                        {"id": %d, "content": "%s", "single_word": false, "lstrip": false, "rstrip": false,
                         "normalized": false, "special": %s}""".formatted(id, text, special));
            }
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [%s],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}""".formatted(added, vocab));
        return dir;
    }
}
