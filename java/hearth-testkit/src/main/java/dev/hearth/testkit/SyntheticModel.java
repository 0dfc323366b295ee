package dev.hearth.testkit;

import dev.hearth.api.io.SafeFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A llama-architecture GGUF model with seeded random weights: the same shapes (and so the same cost to run)
 * as a trained model, and output that means nothing. Everything that shows its output should say so.
 *
 * @param name        general.name written into the file
 * @param nEmbd       embedding width
 * @param nLayer      transformer blocks
 * @param nHead       attention heads
 * @param nHeadKv     key/value heads (grouped-query attention when below nHead)
 * @param nFf         feed-forward width
 * @param nVocab      vocabulary size
 * @param nCtxTrain   context length the model declares
 * @param weightType  type of the 2-D weight matrices (norms are always F32)
 * @param tiedOutput  true to omit output.weight, so llama.cpp reuses the token embeddings (as Qwen2.5-0.5B does)
 * @param seed        seed of the random weights
 */
public record SyntheticModel(String name, int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int nVocab,
        int nCtxTrain, WeightType weightType, boolean tiedOutput, long seed, List<String> controlTokens,
        String chatTemplate) {

    /** ChatML, which llama.cpp's built-in template detection recognises. */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role']"
            + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public SyntheticModel(String name, int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int nVocab,
            int nCtxTrain, WeightType weightType, boolean tiedOutput, long seed) {
        this(name, nEmbd, nLayer, nHead, nHeadKv, nFf, nVocab, nCtxTrain, weightType, tiedOutput, seed, List.of(),
                CHATML_TEMPLATE);
    }

    public SyntheticModel {
        controlTokens = List.copyOf(controlTokens);
        if (nEmbd % nHead != 0 || nHead % nHeadKv != 0) {
            throw new IllegalArgumentException("nEmbd must be a multiple of nHead, and nHead of nHeadKv");
        }
        if (nEmbd % 32 != 0 || nFf % 32 != 0) {
            throw new IllegalArgumentException("nEmbd and nFf must be multiples of 32 (the quantization block)");
        }
    }

    /** Loads in milliseconds: for tests. 2 layers, width 64, 1024 tokens; seed 42 unless {@link TestSeeds} varies it. */
    public static SyntheticModel tiny() {
        return new SyntheticModel("hearth-demo-tiny", 64, 2, 4, 2, 128, 1024, 2048, WeightType.F32, false,
                TestSeeds.replace(42));
    }

    /** The shape of Qwen2.5-0.5B: width 896, 24 layers, 14 heads, 2 KV heads, FFN 4864, 151936 tokens, tied output. */
    public static SyntheticModel halfBillion() {
        return new SyntheticModel("synthetic-0.5b", 896, 24, 14, 2, 4864, 151936, 32768, WeightType.Q8_0, true, 7);
    }

    public SyntheticModel withWeightType(WeightType type) {
        return new SyntheticModel(name, nEmbd, nLayer, nHead, nHeadKv, nFf, nVocab, nCtxTrain, type, tiedOutput, seed,
                controlTokens, chatTemplate);
    }

    public SyntheticModel withSeed(long newSeed) {
        return new SyntheticModel(name, nEmbd, nLayer, nHead, nHeadKv, nFf, nVocab, nCtxTrain, weightType, tiedOutput,
                newSeed, controlTokens, chatTemplate);
    }

    /** The same model with a chat format's control tokens in its vocabulary and its chat template. */
    public SyntheticModel withChatFormat(List<String> tokens, String template) {
        return new SyntheticModel(name, nEmbd, nLayer, nHead, nHeadKv, nFf, nVocab, nCtxTrain, weightType, tiedOutput,
                seed, tokens, template);
    }

    /**
     * Writes the model to {@code path}, replacing a regular file there, and returns where its fields are (see
     * {@link GgufWriter#write}).
     */
    public GgufWriter.Positions write(Path path) {
        return writer(w -> w).write(path);
    }

    /** As {@link #write(Path)}, with {@code extra} adding metadata of its own (before the tensors). */
    public GgufWriter.Positions write(Path path, java.util.function.UnaryOperator<GgufWriter> extra) {
        return writer(extra).write(path);
    }

    /** As {@link #write(Path)}, replacing an existing file only with {@link SafeFiles.Existing#REPLACE}. */
    public GgufWriter.Positions write(Path path, SafeFiles.Existing existing) {
        return writer(w -> w).write(path, existing);
    }

    /**
     * Writes the model as an embedding model: the same weights, with the mean pooling a sentence-embedding GGUF
     * declares ({@code llama.pooling_type} 1), so Hearth serves it for embeddings, not chat.
     */
    public GgufWriter.Positions writeEmbedding(Path path) {
        return writer(w -> w.putUInt32("llama.pooling_type", 1)).write(path);
    }

    /**
     * Writes a model of this shape whose greedy output continues a run of token ids: after token {@code t} it
     * predicts {@code t + 1}. The output matrix holds the token embeddings shifted by one row, and every block's
     * output projections (attention and feed-forward) are scaled down 64 times, so the blocks cost what they always
     * cost but barely move the residual stream. Every weight is a hash of its place, so the same model written in two
     * weight types holds the same weights at two precisions (a draft model and its target). For speculative decoding
     * tests and benchmarks: a prompt that holds a run lets prompt lookup draft what the model will say.
     */
    public GgufWriter.Positions writeSuccessor(Path path) {
        return writer(w -> w, true).write(path);
    }

    private GgufWriter writer(java.util.function.UnaryOperator<GgufWriter> extra) {
        return writer(extra, false);
    }

    private GgufWriter writer(java.util.function.UnaryOperator<GgufWriter> extra, boolean successor) {
        SyntheticVocab vocab = SyntheticVocab.of(nVocab, controlTokens);
        int nEmbdKv = nEmbd / nHead * nHeadKv;
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", name)
                .putString("general.description", "synthetic model with random weights: its output is meaningless")
                .putUInt32("general.file_type", fileType())
                .putUInt32("llama.context_length", nCtxTrain)
                .putUInt32("llama.embedding_length", nEmbd)
                .putUInt32("llama.block_count", nLayer)
                .putUInt32("llama.feed_forward_length", nFf)
                .putUInt32("llama.attention.head_count", nHead)
                .putUInt32("llama.attention.head_count_kv", nHeadKv)
                .putUInt32("llama.rope.dimension_count", nEmbd / nHead)
                .putFloat32("llama.rope.freq_base", 10000f)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putUInt32("llama.vocab_size", nVocab)
                .putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", vocab.tokens())
                .putFloats("tokenizer.ggml.scores", vocab.scores())
                .putInts("tokenizer.ggml.token_type", vocab.types())
                .putUInt32("tokenizer.ggml.bos_token_id", SyntheticVocab.BOS)
                .putUInt32("tokenizer.ggml.eos_token_id", SyntheticVocab.EOS)
                .putUInt32("tokenizer.ggml.unknown_token_id", SyntheticVocab.UNK)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false)
                // no SentencePiece space prefix: text after a control token (a chat template's "<|im_start|>assistant")
                // tokenizes as written, as with the BPE vocabularies of current models
                .putBool("tokenizer.ggml.add_space_prefix", false);
        if (!chatTemplate.isEmpty()) { // an empty template: a model that has none
            w.putString("tokenizer.chat_template", chatTemplate);
        }
        GgufWriter out = extra.apply(w);
        java.util.function.BiConsumer<String, int[]> matrix = successor ? (name, shape) -> hashed(out, name, shape[0],
                shape[1], name.endsWith("attn_output.weight") || name.endsWith("ffn_down.weight") ? 1 / 64f : 1f)
                : (name, shape) -> matrix(out, name, shape[0], shape[1]);
        matrix.accept("token_embd.weight", new int[] {nEmbd, nVocab});
        norm(out, "output_norm.weight");
        if (successor) { // row t + 1 of the output is row t of the embeddings: t's logits peak at t + 1
            HashedWeights.Values embd = embeddings();
            int rows = nVocab, width = nEmbd;
            WeightType type = weightType;
            out.addTensor("output.weight", new long[] {width, rows}, type, (buf, offset) -> HashedWeights.fill(buf,
                    offset, type, width, (row, column) -> embd.at((row + rows - 1) % rows, column)));
        } else if (!tiedOutput) {
            matrix.accept("output.weight", new int[] {nEmbd, nVocab});
        }
        for (int i = 0; i < nLayer; i++) {
            String p = "blk." + i + ".";
            norm(out, p + "attn_norm.weight");
            matrix.accept(p + "attn_q.weight", new int[] {nEmbd, nEmbd});
            matrix.accept(p + "attn_k.weight", new int[] {nEmbd, nEmbdKv});
            matrix.accept(p + "attn_v.weight", new int[] {nEmbd, nEmbdKv});
            matrix.accept(p + "attn_output.weight", new int[] {nEmbd, nEmbd});
            norm(out, p + "ffn_norm.weight");
            matrix.accept(p + "ffn_gate.weight", new int[] {nEmbd, nFf});
            matrix.accept(p + "ffn_up.weight", new int[] {nEmbd, nFf});
            matrix.accept(p + "ffn_down.weight", new int[] {nFf, nEmbd});
        }
        return out;
    }

    private HashedWeights.Values embeddings() {
        return HashedWeights.uniform(tensorSeed("token_embd.weight"), 1.7f / (float) Math.sqrt(nEmbd));
    }

    private void hashed(GgufWriter w, String name, int rowLength, int rows, float gain) {
        HashedWeights.Values values = name.equals("token_embd.weight") ? embeddings()
                : HashedWeights.uniform(tensorSeed(name), gain * 1.7f / (float) Math.sqrt(rowLength));
        WeightType type = weightType;
        w.addTensor(name, new long[] {rowLength, rows}, type, (buf, offset) -> HashedWeights.fill(buf, offset, type,
                rowLength, values));
    }

    private int fileType() {
        return switch (weightType) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
        };
    }

    private long tensorSeed(String tensor) {
        return seed * 0x9E3779B97F4A7C15L + tensor.hashCode();
    }

    private void norm(GgufWriter w, String name) {
        SplittableRandom random = new SplittableRandom(tensorSeed(name));
        w.addTensor(name, new long[] {nEmbd}, WeightType.F32, (buf, offset) -> {
            while (buf.hasRemaining()) {
                buf.putFloat(0.8f + 0.4f * (float) random.nextDouble());
            }
        });
    }

    /** A weight matrix of {@code rows} rows of {@code rowLength} values, scaled by 1/sqrt(rowLength). */
    private void matrix(GgufWriter w, String name, int rowLength, int rows) {
        SplittableRandom random = new SplittableRandom(tensorSeed(name));
        float scale = (float) (1.0 / Math.sqrt(rowLength));
        WeightType type = weightType;
        w.addTensor(name, new long[] {rowLength, rows}, type, (buf, offset) -> fill(buf, type, scale, random));
    }

    private static void fill(ByteBuffer buf, WeightType type, float scale, SplittableRandom random) {
        switch (type) {
            case F32 -> {
                while (buf.hasRemaining()) {
                    buf.putFloat(scale * (float) (random.nextDouble() * 2 - 1) * 1.7f);
                }
            }
            case F16 -> {
                while (buf.hasRemaining()) {
                    buf.putShort(Float.floatToFloat16(scale * (float) (random.nextDouble() * 2 - 1) * 1.7f));
                }
            }
            case Q8_0, Q4_0 -> fillBlocks(buf, type, scale, random);
        }
    }

    // Random quants with a per-block scale chosen so the values have the same spread as the float types.
    private static void fillBlocks(ByteBuffer buf, WeightType type, float scale, SplittableRandom random) {
        byte[] quants = new byte[type.blockBytes() - 2];
        float blockScale = type == WeightType.Q8_0 ? scale / 73f : scale / 4.6f;
        ByteBuffer out = buf.order(ByteOrder.LITTLE_ENDIAN);
        while (out.hasRemaining()) {
            out.putShort(Float.floatToFloat16(blockScale * (0.9f + 0.2f * (float) random.nextDouble())));
            random.nextBytes(quants);
            if (type == WeightType.Q8_0) {
                for (int i = 0; i < quants.length; i++) {
                    if (quants[i] == Byte.MIN_VALUE) {
                        quants[i] = -127; // ggml's quantizer never produces -128
                    }
                }
            }
            out.put(quants);
        }
    }
}
