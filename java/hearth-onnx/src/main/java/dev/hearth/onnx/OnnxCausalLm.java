package dev.hearth.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Generation with a decoder-only ONNX export in the layout Hugging Face Optimum produces: {@code input_ids},
 * {@code attention_mask}, {@code position_ids} and {@code past_key_values.N.key/value} in; {@code logits} and
 * {@code present.N.key/value} out. The prompt is prefilled in one run, then one token per run, the KV tensors of
 * each run fed to the next. Sampling: greedy at temperature 0, else temperature, top-k and top-p with a seed.
 * Not thread-safe: one generation at a time per instance.
 */
public final class OnnxCausalLm implements AutoCloseable {
    /**
     * How to pick tokens.
     *
     * @param temperature  0 for greedy
     * @param topK         0 for all
     * @param topP         1 for all
     * @param seed         for reproducible sampling
     */
    public record Sampling(float temperature, int topK, float topP, long seed) {
        public static Sampling greedy() {
            return new Sampling(0, 0, 1, 0);
        }
    }

    private final OrtSession session;
    private final int layers;
    private final long heads;
    private final long headDim;
    private final boolean hasPositions;
    private final boolean hasMask;
    private final long vocab; // from the logits' shape; -1 when the export leaves it symbolic

    private OnnxCausalLm(OrtSession session) throws OrtException {
        this.session = session;
        Set<String> names = new TreeSet<>(session.getInputNames());
        if (!names.contains("input_ids") || !session.getOutputNames().contains("logits")) {
            throw new OnnxException("not a decoder-only export in Optimum's layout: inputs " + names + ", outputs "
                    + session.getOutputNames() + " (need input_ids in and logits out)", null);
        }
        int n = 0;
        while (names.contains("past_key_values." + n + ".key")) {
            n++;
        }
        this.layers = n;
        if (n == 0) {
            throw new OnnxException("the model has no past_key_values inputs: Hearth generates with a KV cache only", null);
        }
        NodeInfo info = session.getInputInfo().get("past_key_values.0.key");
        long[] shape = ((TensorInfo) info.getInfo()).getShape();
        this.heads = shape[1];
        this.headDim = shape[3];
        if (heads <= 0 || headDim <= 0) {
            throw new OnnxException("past_key_values.0.key must have fixed heads and head size, not " + java.util.Arrays
                    .toString(shape), null);
        }
        long[] logits = ((TensorInfo) session.getOutputInfo().get("logits").getInfo()).getShape();
        this.vocab = logits.length == 3 ? logits[2] : -1;
        this.hasPositions = names.contains("position_ids");
        this.hasMask = names.contains("attention_mask");
    }

    public static OnnxCausalLm load(byte[] model, int threads) {
        OrtSession session;
        try {
            session = Sessions.system().open(model, threads);
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime cannot load the model (" + e.getMessage() + "): check that it is a"
                    + " complete .onnx file", e);
        }
        try {
            return new OnnxCausalLm(session);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session); // not a decoder Hearth can run: the session is not kept
            throw e instanceof OnnxException o ? o : new OnnxException("cannot read the model's inputs and outputs: "
                    + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to do
        }
    }

    public int layers() {
        return layers;
    }

    /**
     * Generates after {@code prompt}: at most {@code maxTokens}, stopping early at a token in {@code stop} (which is
     * kept) or when {@code cancelled} says so; each token goes to {@code onToken} as it comes.
     */
    public long[] generate(long[] prompt, int maxTokens, Sampling sampling, Set<Long> stop, LongConsumer onToken,
            BooleanSupplier cancelled) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        for (long id : prompt) {
            if (id < 0 || (vocab > 0 && id >= vocab)) {
                throw new IllegalArgumentException("token id " + id + " is outside this model's vocabulary of " + vocab
                        + " tokens: is the tokenizer the model's own?");
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SplittableRandom random = new SplittableRandom(sampling.seed());
        List<Long> out = new ArrayList<>();
        Map<String, OnnxTensor> past = new HashMap<>();
        try {
            for (int l = 0; l < layers; l++) {
                for (String kv : new String[] {"key", "value"}) {
                    past.put("past_key_values." + l + "." + kv, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                            new long[] {1, heads, 0, headDim}));
                }
            }
            long[] step = prompt;
            int done = 0; // positions already in the cache
            while (out.size() < maxTokens && !cancelled.getAsBoolean()) {
                Map<String, OnnxTensor> inputs = new HashMap<>(past);
                long[] positions = new long[step.length];
                for (int i = 0; i < step.length; i++) {
                    positions[i] = done + i;
                }
                inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(step), new long[] {1, step.length}));
                if (hasPositions) {
                    inputs.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions),
                            new long[] {1, step.length}));
                }
                if (hasMask) {
                    long[] mask = new long[done + step.length];
                    java.util.Arrays.fill(mask, 1);
                    inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask),
                            new long[] {1, mask.length}));
                }
                long token;
                try (OrtSession.Result result = session.run(inputs)) {
                    float[][][] logits = (float[][][]) result.get("logits").orElseThrow().getValue();
                    token = pick(logits[0][logits[0].length - 1], sampling, random);
                    for (int l = 0; l < layers; l++) {
                        for (String kv : new String[] {"key", "value"}) {
                            OnnxTensor present = (OnnxTensor) result.get("present." + l + "." + kv).orElseThrow();
                            float[] data = new float[(int) present.getInfo().getNumElements()];
                            present.getFloatBuffer().get(data);
                            past.put("past_key_values." + l + "." + kv, OnnxTensor.createTensor(env,
                                    FloatBuffer.wrap(data), present.getInfo().getShape())).close();
                        }
                    }
                } finally {
                    inputs.forEach((name, t) -> {
                        if (!name.startsWith("past_key_values.")) {
                            t.close();
                        }
                    });
                }
                done += step.length;
                out.add(token);
                onToken.accept(token);
                if (stop.contains(token)) {
                    break;
                }
                step = new long[] {token};
            }
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime failed while generating: " + e.getMessage(), e);
        } finally {
            past.values().forEach(OnnxTensor::close);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static long pick(float[] logits, Sampling s, SplittableRandom random) {
        if (s.temperature() <= 0) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = s.topK() > 0 ? Math.min(s.topK(), order.length) : order.length;
        double max = logits[order[0]] / s.temperature();
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / s.temperature() - max);
            sum += p[i];
        }
        double cumulative = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[i] / sum;
            if (cumulative >= s.topP()) {
                cut = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < cut; i++) {
            total += p[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < cut; i++) {
            r -= p[i];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[cut - 1];
    }

    @Override
    public void close() {
        closeQuietly(session);
    }
}
