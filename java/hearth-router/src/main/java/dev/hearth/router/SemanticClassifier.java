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
 * closest examples (mean of the top three similarities) are closest to it. The evidence names the nearest examples.
 * Tool use stays a rule (see {@link CombinedClassifier}). Thread-safe.
 */
public final class SemanticClassifier implements TaskClassifier {
    private record Example(TaskClass taskClass, String text, float[] vector) {
    }

    private static final int TOP = 3;
    private final EmbeddingBackend embedder;
    private final List<Example> examples = new ArrayList<>();

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
                texts.add(f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the semantic examples cannot be read", e);
        }
        List<float[]> vectors = embedder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new Example(classes.get(i), texts.get(i), vectors.get(i)));
        }
    }

    @Override
    public Classification classify(ChatRequest request) {
        String text = RuleClassifier.lastUserText(request);
        float[] v = embedder.embed(List.of(text.isEmpty() ? " " : text)).getFirst();
        Map<TaskClass, List<Double>> sims = new EnumMap<>(TaskClass.class);
        Example nearest = null;
        double best = -2;
        for (Example e : examples) {
            double s = EmbeddingBackend.cosine(v, e.vector());
            sims.computeIfAbsent(e.taskClass(), k -> new ArrayList<>()).add(s);
            if (s > best) {
                best = s;
                nearest = e;
            }
        }
        Map<TaskClass, Double> score = new EnumMap<>(TaskClass.class);
        sims.forEach((c, list) -> score.put(c, list.stream().sorted(Comparator.reverseOrder()).limit(TOP)
                .mapToDouble(Double::doubleValue).average().orElse(0)));
        var ranked = score.entrySet().stream().sorted(Map.Entry.<TaskClass, Double>comparingByValue().reversed()).toList();
        TaskClass top = ranked.getFirst().getKey();
        double margin = ranked.getFirst().getValue() - (ranked.size() > 1 ? ranked.get(1).getValue() : 0);
        List<String> evidence = List.of(String.format(Locale.ROOT, "nearest example \"%s\" (%s, %.2f)", nearest.text(),
                nearest.taskClass().name().toLowerCase(Locale.ROOT), best), String.format(Locale.ROOT,
                "%s %.2f vs %s %.2f", top.name().toLowerCase(Locale.ROOT), ranked.getFirst().getValue(),
                ranked.get(1).getKey().name().toLowerCase(Locale.ROOT), ranked.get(1).getValue()));
        return new Classification(top, 0, Math.min(0.95, 0.5 + margin * 4), evidence);
    }
}
