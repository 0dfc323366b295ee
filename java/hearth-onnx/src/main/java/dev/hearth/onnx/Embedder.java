package dev.hearth.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sentence embeddings from a sentence-transformers ONNX export and its {@code tokenizer.json}: texts are tokenized
 * (truncated at the model's maximum length, flagged in the result), run, mean-pooled over the attention mask (or the
 * first token, for CLS models) and L2-normalised.
 *
 * <p>Two ways to run many texts. {@link Batching#PADDED}: one run per batch, padded to the longest text, for float
 * models, where padding under the attention mask changes nothing. {@link Batching#PER_TEXT}: one run per text, the
 * texts of a batch spread over a pool of threads, for dynamically quantized models such as the shipped MiniLM, whose
 * activation scales are computed over the whole input tensor, so that a padded batch (or any batch) would change each
 * text's vector by up to 0.03: a text's vector must not depend on what it was batched with.
 */
public final class Embedder implements dev.hearth.api.EmbeddingBackend, AutoCloseable {
    /** How a sentence vector is taken from the token vectors. */
    public enum Pooling { MEAN, CLS }

    /** How a batch of texts is run (see the class comment). */
    public enum Batching { PADDED, PER_TEXT }

    /** The bundled embedder's model, as {@link #miniLm()} names it. */
    public static final String MINILM_NAME = "all-MiniLM-L6-v2";
    private static final String MINILM_MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String MINILM_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final String name;
    private int dimensions;
    private final OrtSession session;
    private final OrtSession solo; // PER_TEXT: a text alone uses every thread; null otherwise
    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final int batchSize;
    private final boolean typeIds;
    private final Batching batching;
    private final java.util.concurrent.ExecutorService pool;

    private Embedder(byte[] model, InputStream tokenizerJson, String what, int maxLength, Pooling pooling, int batchSize,
            int threads, Batching batching) {
        Sessions sessions = Sessions.system(); // a bad HEARTH_ONNX_CUDA is refused before anything is opened
        this.name = "local:" + what;
        this.pooling = pooling;
        this.batchSize = batchSize;
        this.batching = batching;
        this.pool = batching == Batching.PER_TEXT ? java.util.concurrent.Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("hearth-onnx-", 0).factory()) : null;
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("maxLength", String.valueOf(maxLength),
                    "truncation", "true", "padding", "false", "addSpecialTokens", "true"));
        } catch (IOException | RuntimeException e) {
            throw new OnnxException("the tokenizer of " + what + " cannot be read (" + e.getMessage() + "): check that"
                    + " tokenizer.json is a Hugging Face tokenizer file", e);
        }
        try {
            // PER_TEXT: parallel runs of one thread each
            this.session = sessions.open(model, batching == Batching.PER_TEXT ? 1 : threads);
            if (batching == Batching.PER_TEXT && threads > 1) {
                this.solo = sessions.open(model, threads);
            } else {
                this.solo = null;
            }
            this.typeIds = session.getInputNames().contains("token_type_ids");
            if (!session.getInputNames().containsAll(Set.of("input_ids", "attention_mask"))) {
                throw new OnnxException(what + " is not a sentence-transformers export: its inputs are "
                        + session.getInputNames() + ", not input_ids and attention_mask", null);
            }
        } catch (OrtException e) {
            tokenizer.close();
            throw new OnnxException("ONNX Runtime cannot load " + what + " (" + e.getMessage() + "): check that the file"
                    + " is a complete .onnx model", e);
        }
    }

    /** all-MiniLM-L6-v2 (quantized, 384 dimensions, 256 tokens), read from the LangChain4j jar on the class path. */
    public static Embedder miniLm() {
        try (InputStream model = resource(MINILM_MODEL); InputStream tok = resource(MINILM_TOKENIZER)) {
            return new Embedder(model.readAllBytes(), tok, MINILM_NAME, 256, Pooling.MEAN, 32,
                    Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8)), Batching.PER_TEXT);
        } catch (IOException e) {
            throw new OnnxException("cannot read the MiniLM model from the class path", e);
        }
    }

    /** A model directory with {@code model.onnx} and {@code tokenizer.json}. */
    public static Embedder fromDirectory(Path dir, int maxLength, Pooling pooling, int batchSize, int threads,
            Batching batching) {
        Path model = dir.resolve("model.onnx"), tok = dir.resolve("tokenizer.json");
        for (Path p : List.of(model, tok)) {
            if (!Files.isRegularFile(p)) {
                throw new OnnxException("no " + p.getFileName() + " in " + dir + ": an ONNX embedder directory needs"
                        + " model.onnx and tokenizer.json", null);
            }
        }
        try {
            return new Embedder(Files.readAllBytes(model), new ByteArrayInputStream(Files.readAllBytes(tok)),
                    model.toString(), maxLength, pooling, batchSize, threads, batching);
        } catch (IOException e) {
            throw new OnnxException("cannot read " + dir, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Embedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm"
                    + "-l6-v2-q)");
        }
        return in;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized int dimensions() {
        if (dimensions == 0) {
            dimensions = embedTexts(List.of("dimensions")).dimensions();
        }
        return dimensions;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return embedTexts(texts).vectors();
    }

    /** Embeds texts, {@code batchSize} at a time, saying which were cut at the model's maximum length. */
    @Override
    public List<Embedded> embedAll(List<String> texts) {
        EmbeddingResult r = embedTexts(texts);
        List<Embedded> out = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(new Embedded(r.vectors().get(i), r.truncated().get(i), r.tokens().get(i)));
        }
        return out;
    }

    public EmbeddingResult embedTexts(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        List<Boolean> truncated = new ArrayList<>(texts.size());
        List<Integer> tokens = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            Encoding[] encodings = new Encoding[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                encodings[i] = tokenizer.encode(batch.get(i));
                truncated.add(encodings[i].exceedMaxLength());
                tokens.add(encodings[i].getIds().length);
            }
            vectors.addAll(batching == Batching.PADDED ? run(session, encodings)
                    : encodings.length == 1 && solo != null ? run(solo, encodings) : runEach(encodings));
        }
        return new EmbeddingResult(vectors, truncated, tokens);
    }

    /** One run per text, the texts spread over the pool. */
    private List<float[]> runEach(Encoding[] encodings) {
        List<java.util.concurrent.Future<List<float[]>>> futures = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            futures.add(pool.submit(() -> run(session, new Encoding[] {e})));
        }
        List<float[]> out = new ArrayList<>(encodings.length);
        for (var f : futures) {
            try {
                out.add(f.get().getFirst());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OnnxException("interrupted while embedding", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof OnnxException o ? o
                        : new OnnxException("embedding failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private List<float[]> run(OrtSession session, Encoding[] encodings) {
        int n = encodings.length, len = 0;
        for (Encoding e : encodings) {
            len = Math.max(len, e.getIds().length);
        }
        long[] ids = new long[n * len], mask = new long[n * len], types = new long[n * len];
        for (int i = 0; i < n; i++) {
            long[] id = encodings[i].getIds(), m = encodings[i].getAttentionMask(), t = encodings[i].getTypeIds();
            System.arraycopy(id, 0, ids, i * len, id.length);
            System.arraycopy(m, 0, mask, i * len, m.length);
            System.arraycopy(t, 0, types, i * len, t.length);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {n, len};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(normalise(pool(hidden[i], mask, i * len, len)));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime failed to run the embedder: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokens, long[] mask, int offset, int len) {
        int dims = tokens[0].length;
        float[] v = new float[dims];
        if (pooling == Pooling.CLS) {
            System.arraycopy(tokens[0], 0, v, 0, dims);
            return v;
        }
        int count = 0;
        for (int t = 0; t < len; t++) {
            if (mask[offset + t] != 0) {
                count++;
                for (int d = 0; d < dims; d++) {
                    v[d] += tokens[t][d];
                }
            }
        }
        for (int d = 0; d < dims; d++) {
            v[d] /= Math.max(1, count);
        }
        return v;
    }

    private static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) norm;
            }
        }
        return v;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        try {
            session.close();
            if (solo != null) {
                solo.close();
            }
        } catch (OrtException e) {
            // closing is all that is left
        } finally {
            tokenizer.close();
        }
    }
}
