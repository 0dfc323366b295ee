package dev.hearth.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.hearth.api.TokenSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Text in, text out, over an {@link OnnxCausalLm} and the model's {@code tokenizer.json}: the prompt is encoded, tokens
 * are decoded as they come and streamed as text, and generation stops at a stop sequence (which is not shown; text
 * that could still become one is held back until it cannot), at an end token, at max tokens, or on cancel.
 */
public final class OnnxTextGenerator implements AutoCloseable {
    /**
     * What came out and why it stopped ("stop_sequence", "end_token", "max_tokens", "cancelled"); {@code stoppedAt}
     * is the stop sequence that ended it, or empty.
     */
    public record Result(String text, long[] tokens, String finish, String stoppedAt) {
    }

    private final OnnxCausalLm model;
    private final HuggingFaceTokenizer tokenizer;

    public OnnxTextGenerator(OnnxCausalLm model, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** A directory with {@code model.onnx} (Optimum's decoder layout) and {@code tokenizer.json}. */
    public static OnnxTextGenerator fromDirectory(Path dir, int threads) {
        for (String needed : new String[] {"model.onnx", "tokenizer.json"}) {
            if (!Files.isRegularFile(dir.resolve(needed))) {
                throw new OnnxException("no " + needed + " in " + dir + ": a generator needs model.onnx (a decoder"
                        + " exported by Optimum, with its KV cache) and tokenizer.json", null);
            }
        }
        try {
            OnnxCausalLm lm = OnnxCausalLm.load(Files.readAllBytes(dir.resolve("model.onnx")), threads);
            return new OnnxTextGenerator(lm, HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                    Map.of("addSpecialTokens", "false")));
        } catch (IOException | RuntimeException e) {
            if (e instanceof OnnxException o) {
                throw o;
            }
            throw new OnnxException("cannot load the generator in " + dir + " (needs model.onnx and tokenizer.json): "
                    + e.getMessage(), e);
        }
    }

    public Result generate(String prompt, int maxTokens, OnnxCausalLm.Sampling sampling, List<String> stopSequences,
            Set<Long> endTokens, TokenSink sink, BooleanSupplier cancelled) {
        long[] ids = tokenizer.encode(prompt, false, false).getIds();
        List<Long> tokens = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        String[] finish = {null};
        String[] stoppedAt = {""};
        boolean[] stopNow = {false};
        model.generate(ids, maxTokens, sampling, endTokens, token -> {
            tokens.add(token);
            if (endTokens.contains(token)) {
                finish[0] = "end_token";
                return;
            }
            String text = tokenizer.decode(tokens.stream().filter(t -> !endTokens.contains(t))
                    .mapToLong(Long::longValue).toArray(), false);
            int stopAt = -1;
            for (String s : stopSequences) {
                int i = text.indexOf(s);
                if (i >= 0 && (stopAt < 0 || i < stopAt)) {
                    stopAt = i;
                    stoppedAt[0] = s;
                }
            }
            String safe = stopAt >= 0 ? text.substring(0, stopAt) : text.substring(0, heldBack(text, stopSequences));
            if (safe.length() > shown.length() && safe.startsWith(shown.toString())) {
                sink.onText(safe.substring(shown.length()));
                shown.setLength(0);
                shown.append(safe);
            }
            if (stopAt >= 0) {
                finish[0] = "stop_sequence";
                stopNow[0] = true;
            }
        }, () -> stopNow[0] || cancelled.getAsBoolean());
        if (finish[0] == null) {
            finish[0] = cancelled.getAsBoolean() ? "cancelled" : "max_tokens";
            String all = tokenizer.decode(tokens.stream().mapToLong(Long::longValue).toArray(), false);
            if (all.length() > shown.length() && all.startsWith(shown.toString())) {
                sink.onText(all.substring(shown.length())); // the held-back tail never became a stop sequence
                shown.setLength(0);
                shown.append(all);
            }
        }
        return new Result(shown.toString(), tokens.stream().mapToLong(Long::longValue).toArray(), finish[0],
                stoppedAt[0]);
    }

    /** How many tokens {@code text} is to this model. */
    public int countTokens(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /** The length of {@code text} that cannot be the start of a stop sequence. */
    static int heldBack(String text, List<String> stops) {
        int keep = text.length();
        for (String s : stops) {
            for (int n = Math.min(s.length() - 1, text.length()); n > 0; n--) {
                if (text.endsWith(s.substring(0, n))) {
                    keep = Math.min(keep, text.length() - n);
                    break;
                }
            }
        }
        return keep;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
