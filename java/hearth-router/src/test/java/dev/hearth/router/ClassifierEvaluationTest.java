package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.onnx.Embedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules alone, meaning alone and both together on 100 labelled prompts written for this test (disjoint from the
 * semantic examples and from the rules' own test prompts).
 */
class ClassifierEvaluationTest {
    record Labelled(TaskClass expected, String text) {
    }

    static List<Labelled> evaluationSet() throws IOException {
        List<Labelled> out = new ArrayList<>();
        try (var in = ClassifierEvaluationTest.class.getResourceAsStream("/classifier-eval.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t", 2);
                    out.add(new Labelled(TaskClass.valueOf(f[0].toUpperCase(Locale.ROOT)), f[1]));
                }
            }
        }
        return out;
    }

    @Test
    void meaningAndRulesTogetherBeatRulesAloneAndReach85Percent() throws Exception {
        List<Labelled> set = evaluationSet();
        assertThat(set).hasSizeGreaterThanOrEqualTo(100);
        try (Embedder embedder = Embedder.miniLm()) {
            RuleClassifier rules = new RuleClassifier();
            SemanticClassifier semantic = new SemanticClassifier(embedder);
            CombinedClassifier combined = new CombinedClassifier(rules, semantic, 0.7);
            Map<String, TaskClassifier> classifiers = Map.of("rules", rules, "semantic", semantic, "combined", combined);
            Map<String, Map<TaskClass, int[]>> table = new java.util.TreeMap<>();
            Map<String, Integer> right = new java.util.HashMap<>();
            for (var c : classifiers.entrySet()) {
                Map<TaskClass, int[]> perClass = new EnumMap<>(TaskClass.class);
                for (Labelled l : set) {
                    TaskClass got = c.getValue().classify(ChatRequest.of("auto", List.of(ChatMessage.user(l.text()))))
                            .taskClass();
                    int[] counts = perClass.computeIfAbsent(l.expected(), k -> new int[2]);
                    counts[1]++;
                    if (got != l.expected() && c.getKey().equals("combined")) {
                        System.out.println("MISS " + l.expected() + " -> " + got + ": " + l.text());
                    }
                    if (got == l.expected()) {
                        counts[0]++;
                        right.merge(c.getKey(), 1, Integer::sum);
                    }
                }
                table.put(c.getKey(), perClass);
            }
            StringBuilder out = new StringBuilder("| class | rules | semantic | combined |\n|---|---|---|---|\n");
            for (TaskClass cls : table.get("rules").keySet()) {
                out.append("| ").append(cls.name().toLowerCase(Locale.ROOT));
                for (String name : List.of("rules", "semantic", "combined")) {
                    int[] c = table.get(name).get(cls);
                    out.append(String.format(Locale.ROOT, " | %d/%d", c[0], c[1]));
                }
                out.append(" |\n");
            }
            out.append(String.format(Locale.ROOT, "| overall | %d%% | %d%% | %d%% |%n",
                    right.getOrDefault("rules", 0) * 100 / set.size(), right.getOrDefault("semantic", 0) * 100 / set.size(),
                    right.getOrDefault("combined", 0) * 100 / set.size()));
            System.out.println(out);
            assertThat(right.get("combined")).as(out.toString()).isGreaterThan(right.get("rules"));
            assertThat(right.get("combined") * 100 / set.size()).as(out.toString()).isGreaterThanOrEqualTo(85);
        }
    }
}
