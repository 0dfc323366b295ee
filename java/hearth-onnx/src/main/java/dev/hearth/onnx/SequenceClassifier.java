package dev.hearth.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sequence classification with an ONNX export ({@code model.onnx}, {@code tokenizer.json}, and {@code config.json}
 * whose {@code id2label} names the classes): a text's logits become labels with probabilities (softmax), best first.
 * One text per run, so a text's result never depends on others. Thread-safe.
 */
public final class SequenceClassifier implements AutoCloseable {
    /** A label and its probability. */
    public record Label(String name, double probability) {
    }

    private static final Pattern ID2LABEL = Pattern.compile("\"(\\d+)\"\\s*:\\s*\"([^\"]*)\"");

    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<Integer, String> labels;
    private final boolean typeIds;

    private SequenceClassifier(OrtSession session, HuggingFaceTokenizer tokenizer, Map<Integer, String> labels)
            throws OrtException {
        this.session = session;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.typeIds = session.getInputNames().contains("token_type_ids");
    }

    public static SequenceClassifier fromDirectory(Path dir, int maxLength) {
        Sessions sessions = Sessions.system(); // a bad HEARTH_ONNX_CUDA is refused before anything is opened
        Path model = dir.resolve("model.onnx"), tok = dir.resolve("tokenizer.json"), config = dir.resolve("config.json");
        for (Path p : List.of(model, tok, config)) {
            if (!Files.isRegularFile(p)) {
                throw new OnnxException("no " + p.getFileName() + " in " + dir + ": a classifier directory needs"
                        + " model.onnx, tokenizer.json and config.json (with id2label)", null);
            }
        }
        HuggingFaceTokenizer tokenizer;
        Map<Integer, String> labels = new HashMap<>();
        try {
            String json = Files.readString(config);
            int at = json.indexOf("\"id2label\"");
            if (at < 0) {
                throw new OnnxException(config + " has no id2label: the classes cannot be named", null);
            }
            Matcher m = ID2LABEL.matcher(json.substring(at, json.indexOf('}', at) + 1));
            while (m.find()) {
                labels.put(Integer.parseInt(m.group(1)), m.group(2));
            }
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(Files.readAllBytes(tok)), Map.of(
                    "maxLength", String.valueOf(maxLength), "truncation", "true", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof OnnxException o) {
                throw o;
            }
            throw new OnnxException("cannot read the classifier in " + dir + ": " + e.getMessage(), e);
        }
        try {
            return new SequenceClassifier(sessions.open(Files.readAllBytes(model),
                    Math.max(1, Runtime.getRuntime().availableProcessors())), tokenizer, labels);
        } catch (OrtException | IOException e) {
            tokenizer.close();
            throw new OnnxException("ONNX Runtime cannot load " + model + " (" + e.getMessage() + ")", e);
        }
    }

    /** The labels of a text, most probable first. */
    public List<Label> classify(String text) {
        Encoding e = tokenizer.encode(text);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, e.getIds().length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(e.getIds()), shape));
            if (session.getInputNames().contains("attention_mask")) {
                inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(e.getAttentionMask()), shape));
            }
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(e.getTypeIds()), shape));
            }
            try (OrtSession.Result r = session.run(inputs)) {
                float[] logits = ((float[][]) r.get(0).getValue())[0];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float l : logits) {
                    max = Math.max(max, l);
                }
                double[] p = new double[logits.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = Math.exp(logits[i] - max);
                    sum += p[i];
                }
                List<Label> out = new ArrayList<>();
                for (int i = 0; i < p.length; i++) {
                    out.add(new Label(labels.getOrDefault(i, "LABEL_" + i), p[i] / sum));
                }
                out.sort((a, b) -> Double.compare(b.probability(), a.probability()));
                return out;
            }
        } catch (OrtException ex) {
            throw new OnnxException("ONNX Runtime failed to classify: " + ex.getMessage(), ex);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to do
        } finally {
            tokenizer.close();
        }
    }
}
