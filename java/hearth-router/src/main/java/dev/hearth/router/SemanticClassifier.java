package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.EmbeddingBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Task classification by meaning: example utterances per class (written for Hearth, in
 * {@code semantic-examples.tsv}) are embedded once with the local embedder; a request's class is the one whose
 * closest examples (mean of the top five similarities) are closest to it. Vectors are centred on the examples' mean
 * before the cosine, so what every prompt shares (being a request in English) does not count as likeness. The
 * evidence names the nearest example. Tools present stay a rule (see {@link CombinedClassifier}); the tool-use examples
 * are requests that need one (an action, live or personal data). Thread-safe.
 */
public final class SemanticClassifier implements TaskClassifier {
    private record Example(TaskClass taskClass, String text, float[] vector) {
    }

    /**
     * How close a text is to each class's examples.
     *
     * @param byClass        each class's mean similarity to its five closest examples (classes without examples absent)
     * @param nearest        the closest example
     * @param nearestClass   its class
     * @param nearestSimilarity its similarity
     */
    record Similarities(Map<TaskClass, Double> byClass, String nearest, TaskClass nearestClass,
            double nearestSimilarity) {
    }

    private static final int TOP = 5;
    private final EmbeddingBackend embedder;
    private final List<Example> examples = new ArrayList<>();
    private final float[] centre;

    public SemanticClassifier(EmbeddingBackend embedder) {
        this.embedder = embedder;
        List<TaskClass> classes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (InputStream in = SemanticClassifier.class.getResourceAsStream("semantic-examples.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 2);
                classes.add(TaskClass.valueOf(f[0].toUpperCase(Locale.ROOT)));
                texts.add(f[1].replace("\\n", "\n"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the semantic examples cannot be read", e);
        }
        List<float[]> vectors = embedder.embed(texts);
        centre = new float[vectors.getFirst().length];
        for (float[] v : vectors) {
            float[] u = unit(v);
            for (int i = 0; i < centre.length; i++) {
                centre[i] += u[i] / vectors.size();
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new Example(classes.get(i), texts.get(i), centred(vectors.get(i))));
        }
    }

    @Override
    public Classification classify(ChatRequest request) {
        Similarities s = similarities(RuleClassifier.lastUserText(request));
        var ranked = s.byClass().entrySet().stream()
                .sorted(Map.Entry.<TaskClass, Double>comparingByValue().reversed()).toList();
        TaskClass top = ranked.getFirst().getKey();
        double margin = ranked.getFirst().getValue() - ranked.get(1).getValue();
        List<String> evidence = List.of(nearestEvidence(s), String.format(Locale.ROOT, "%s %.2f vs %s %.2f",
                name(top), ranked.getFirst().getValue(), name(ranked.get(1).getKey()), ranked.get(1).getValue()));
        return new Classification(top, 0, confidence(margin), evidence);
    }

    /** The text's similarity to each class's examples. */
    Similarities similarities(String text) {
        float[] v = centred(embedder.embed(List.of(text.isEmpty() ? " " : text)).getFirst());
        Map<TaskClass, List<Double>> sims = new EnumMap<>(TaskClass.class);
        Example nearest = null;
        double best = -2;
        for (Example e : examples) {
            double s = dot(v, e.vector());
            sims.computeIfAbsent(e.taskClass(), k -> new ArrayList<>()).add(s);
            if (s > best) {
                best = s;
                nearest = e;
            }
        }
        Map<TaskClass, Double> score = new EnumMap<>(TaskClass.class);
        sims.forEach((c, list) -> score.put(c, list.stream().sorted(Comparator.reverseOrder()).limit(TOP)
                .mapToDouble(Double::doubleValue).average().orElse(0)));
        return new Similarities(score, nearest.text(), nearest.taskClass(), best);
    }

    static String nearestEvidence(Similarities s) {
        return String.format(Locale.ROOT, "nearest example \"%s\" (%s, %.2f)", s.nearest(), name(s.nearestClass()),
                s.nearestSimilarity());
    }

    /** A margin between the best two classes as a confidence: 0.5 at a tie, 0.95 from a margin of 0.11. */
    static double confidence(double margin) {
        return Math.min(0.95, 0.5 + margin * 4);
    }

    static String name(TaskClass c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    private float[] centred(float[] v) {
        float[] u = unit(v);
        for (int i = 0; i < u.length; i++) {
            u[i] -= centre[i];
        }
        return unit(u);
    }

    private static float[] unit(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = n == 0 ? 0 : (float) (v[i] / n);
        }
        return u;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("the embedder gave vectors of " + a.length + " and " + b.length
                    + " dimensions; a semantic classifier needs one embedder for its examples and its requests");
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }
}
