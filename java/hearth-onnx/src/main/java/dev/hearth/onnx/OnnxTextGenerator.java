package dev.hearth.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.hearth.api.TokenSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Text in, text out, over an {@link OnnxCausalLm} and the model's {@code tokenizer.json}: the prompt is encoded, tokens
 * are decoded as they come (without the tokenizer's special tokens) and streamed as text, and generation stops at a
 * stop sequence (which is not shown; text that could still become one is held back until it cannot), at an end token,
 * at max tokens, or on cancel. Not thread-safe: one generation at a time per instance.
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

    /**
     * Generates after {@code prompt}. The text shown is the tokens decoded without the tokenizer's special tokens
     * (those {@code tokenizer.json}'s {@code added_tokens} mark {@code "special": true}: chat markers such as
     * {@code <|im_start|>}), as llama.cpp does not render control tokens: a model that writes one mid-answer does not
     * show it. A stop sequence that is one special token is matched by its id, since its text is never shown;
     * others are matched in the text. End tokens end generation and are not shown.
     *
     * @param stopSequences texts that end generation where they appear (not shown)
     * @param endTokens     token ids that end generation ("end_token")
     * @param sink          the text as it becomes safe to show: text that may still become a stop sequence is held
     *                      back until it cannot, and shown at the end if generation stops otherwise
     */
    public Result generate(String prompt, int maxTokens, OnnxCausalLm.Sampling sampling, List<String> stopSequences,
            Set<Long> endTokens, TokenSink sink, BooleanSupplier cancelled) {
        long[] ids = tokenizer.encode(prompt, false, false).getIds();
        Map<Long, String> markers = specialStops(stopSequences);
        Set<Long> ending = new HashSet<>(endTokens);
        ending.addAll(markers.keySet());
        List<Long> tokens = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        String[] finish = {null};
        String[] stoppedAt = {""};
        boolean[] cutInText = {false};
        model.generate(ids, maxTokens, sampling, ending, token -> {
            tokens.add(token);
            if (ending.contains(token)) {
                finish[0] = endTokens.contains(token) ? "end_token" : "stop_sequence";
                stoppedAt[0] = endTokens.contains(token) ? "" : markers.get(token);
                return;
            }
            String text = visible(tokens, ending);
            int stopAt = -1;
            for (String s : stopSequences) {
                int i = text.indexOf(s);
                if (i >= 0 && (stopAt < 0 || i < stopAt)) {
                    stopAt = i;
                    stoppedAt[0] = s;
                }
            }
            show(stopAt >= 0 ? text.substring(0, stopAt) : text.substring(0, heldBack(text, stopSequences)), shown,
                    sink);
            if (stopAt >= 0) {
                finish[0] = "stop_sequence";
                cutInText[0] = true;
            }
        }, () -> finish[0] != null || cancelled.getAsBoolean());
        if (finish[0] == null) {
            finish[0] = cancelled.getAsBoolean() ? "cancelled" : "max_tokens";
        }
        if (!cutInText[0]) {
            show(visible(tokens, ending), shown, sink); // the held-back tail never became a stop sequence
        }
        return new Result(shown.toString(), tokens.stream().mapToLong(Long::longValue).toArray(), finish[0],
                stoppedAt[0]);
    }

    /** The stop sequences that are one special token, by id. */
    private Map<Long, String> specialStops(List<String> stopSequences) {
        Map<Long, String> markers = new HashMap<>();
        for (String s : stopSequences) {
            long[] ids = tokenizer.encode(s, false, false).getIds();
            // one token whose own text is the stop sequence and which decoding for display leaves out
            if (ids.length == 1 && tokenizer.decode(ids, true).isEmpty() && tokenizer.decode(ids, false).equals(s)) {
                markers.putIfAbsent(ids[0], s);
            }
        }
        return markers;
    }

    /** The text of {@code tokens} as shown: without the ending tokens and the tokenizer's special tokens. */
    private String visible(List<Long> tokens, Set<Long> ending) {
        return tokenizer.decode(tokens.stream().filter(t -> !ending.contains(t)).mapToLong(Long::longValue).toArray(),
                true);
    }

    /** Sends what {@code safe} adds to the text shown so far (decoding may still revise earlier text: then waits). */
    private static void show(String safe, StringBuilder shown, TokenSink sink) {
        if (safe.length() > shown.length() && safe.startsWith(shown.toString())) {
            sink.onText(safe.substring(shown.length()));
            shown.setLength(0);
            shown.append(safe);
        }
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
